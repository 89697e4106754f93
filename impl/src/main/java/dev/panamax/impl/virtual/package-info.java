/** In-memory devices: a linked pair of rings and a null sink/source. */
@NullMarked
package dev.panamax.impl.virtual;

import org.jspecify.annotations.NullMarked;
