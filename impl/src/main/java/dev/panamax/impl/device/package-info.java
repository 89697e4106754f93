/** Code shared by every device family: counters, queue checks, lifecycle. */
@NullMarked
package dev.panamax.impl.device;

import org.jspecify.annotations.NullMarked;
