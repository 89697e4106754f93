package dev.panamax.api;

/**
 * What one queue of a device moved since it was opened: receive queue {@code queue} and
 * transmit queue {@code queue}. The device's {@link DeviceStats} are the sums over its queues
 * (plus what only the hardware counts, such as drops).
 *
 * @param queue the queue number
 * @param rxPackets packets received on the receive queue
 * @param rxBytes bytes received on it
 * @param txPackets packets the transmit queue accepted
 * @param txBytes bytes it accepted
 */
public record QueueStats(int queue, long rxPackets, long rxBytes, long txPackets, long txBytes) {}
