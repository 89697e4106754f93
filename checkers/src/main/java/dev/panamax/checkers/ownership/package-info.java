/**
 * The ownership checker: compile-time linearity of {@code OwnedPacket} handles (use after
 * consumption, double consumption, leaks, consuming borrowed packets, escapes).
 */
@NullMarked
package dev.panamax.checkers.ownership;

import org.jspecify.annotations.NullMarked;
