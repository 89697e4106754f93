package dev.panamax.impl.device;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaSource;
import dev.panamax.impl.dma.DmaException;
import dev.panamax.impl.dma.DmaFiles;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.mempool.MempoolImpl;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The DMA memory every PCI driver allocates before it touches its device: one hugepage block
 * for descriptor rings and one receive mempool per receive queue, all in an automatic arena, so
 * rings and buffers stay mapped while anything can reach them, including packets the application
 * still holds after the device is closed. On the physical path they are backed by kept files,
 * {@code <mount>/panamax/<address>-<pid>-rings}, {@code -rx} and {@code -rx1}, {@code -rx2}…
 * for further queues ({@link DmaFiles}), which the device's claim deletes once the device is
 * reset.
 *
 * @param arena the automatic arena that owns every block (drivers map their BARs in it too)
 * @param rings memory for the descriptor rings
 * @param rxPools the receive buffers, one pool of {@code bufferCount} per receive queue
 */
public record DeviceMemory(Arena arena, DmaMemory rings, List<MempoolImpl> rxPools) {

  /**
   * Returns receive queue 0's pool.
   *
   * @return the first pool
   */
  public MempoolImpl rxPool() {
    return rxPools.get(0);
  }

  /**
   * Allocates rings and receive pool from the hugepages the options name; the caller has
   * checked that the DMA source is hugepages (PciOpener does).
   *
   * @param address the device, for messages
   * @param options buffer count (per receive queue), receive queues and DMA source
   * @param ringBytes bytes of ring memory
   * @param entrySize bytes per receive buffer
   * @param keepFiles keep the backing files until the device's claim deletes them (the physical
   *     path, where a device left running by a dead process may still write to them); the VFIO
   *     path unlinks them at once, since the kernel stops such a device itself
   * @return the memory
   * @throws DeviceException at step "allocate DMA memory", with how many pages the device needs
   */
  public static DeviceMemory allocate(String address, DeviceOptions options, long ringBytes,
      int entrySize, boolean keepFiles) {
    final Arena arena = Arena.ofAuto();
    final long poolBytes = (long) entrySize * options.bufferCount();
    final Path mount = ((DmaSource.Hugepages) options.dmaSource()).mountPoint();
    try {
      // Kept files (DmaFiles): the device writes to both, also after a crash of this process.
      final long pid = ProcessHandle.current().pid();
      final DmaMemory rings = keepFiles ? DmaMemory.allocateDeviceHugepages(arena, ringBytes, mount,
          DmaFiles.name(address, pid, "rings")) : DmaMemory.allocateHugepages(arena, ringBytes, mount);
      final List<MempoolImpl> pools = new ArrayList<>();
      for (int q = 0; q < options.rxQueues(); q++) {
        final String purpose = q == 0 ? "rx" : "rx" + q;
        final DmaMemory pool = keepFiles ? DmaMemory.allocateDeviceHugepages(arena, poolBytes,
            mount, DmaFiles.name(address, pid, purpose))
            : DmaMemory.allocateHugepages(arena, poolBytes, mount);
        pools.add(new MempoolImpl(address + " " + purpose, pool, entrySize, options.bufferCount()));
      }
      return new DeviceMemory(arena, rings, List.copyOf(pools));
    } catch (DmaException e) {
      throw new DeviceException(address, "allocate DMA memory",
          e.getMessage() + HugepageNeeds.describe(ringBytes, poolBytes * options.rxQueues()), e);
    }
  }
}
