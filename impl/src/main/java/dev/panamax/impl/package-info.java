/** Device factory and driver selection. */
@NullMarked
package dev.panamax.impl;

import org.jspecify.annotations.NullMarked;
