/**
 * Error Prone checks shipped with Panamax: restricted native access outside
 * {@code dev.panamax.impl.unsafe}, and dropped {@code OwnedPacket} results.
 */
@NullMarked
package dev.panamax.checkers.errorprone;

import org.jspecify.annotations.NullMarked;
