/**
 * Public Panamax types.
 *
 * <p>Start with {@link dev.panamax.api.NetworkDevice#open(String)} and
 * {@link dev.panamax.api.Mempool#create(java.lang.foreign.Arena, DmaSource, int, int)}; move
 * packets with {@link dev.panamax.api.PacketBatch}. Every {@link dev.panamax.api.OwnedPacket} is
 * a linear handle: see {@link dev.panamax.api.Owned}, {@link dev.panamax.api.Consumes} and
 * {@link dev.panamax.api.Borrowed}.
 */
@NullMarked
package dev.panamax.api;

import org.jspecify.annotations.NullMarked;
