package dev.panamax.impl.observe;

import dev.panamax.api.Mempool;
import org.jspecify.annotations.Nullable;

/**
 * How full one queue's rings are and how its receive pool's buffers are spread, for monitoring.
 *
 * @param queue the queue index
 * @param rxRingSize descriptors in the receive ring (0 if the device has none)
 * @param rxRingUsed receive descriptors holding a buffer (posted to the device, or received
 *     packets waiting for {@code rxBatch})
 * @param txRingSize descriptors in the transmit ring (0 if the device has none)
 * @param txRingUsed transmit descriptors given to the device and not yet cleaned
 * @param rxPool the pool receive buffers come from, or {@code null} if the device has none
 */
public record QueueFigures(
    int queue, int rxRingSize, int rxRingUsed, int txRingSize, int txRingUsed,
    @Nullable Mempool rxPool) {}
