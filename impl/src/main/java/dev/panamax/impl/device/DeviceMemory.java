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

/**
 * The DMA memory every PCI driver allocates before it touches its device: one hugepage block
 * for descriptor rings and a receive mempool, both in an automatic arena, so rings and buffers
 * stay mapped while anything can reach them, including packets the application still holds
 * after the device is closed. Both are backed by kept files, {@code
 * <mount>/panamax/<address>-<pid>-rings} and {@code -rx} ({@link DmaFiles}), which the
 * device's claim deletes once the device is reset.
 *
 * @param arena the automatic arena that owns both blocks (drivers map their BARs in it too)
 * @param rings memory for the descriptor rings
 * @param rxPool the receive buffers
 */
public record DeviceMemory(Arena arena, DmaMemory rings, MempoolImpl rxPool) {

  /**
   * Allocates rings and receive pool from the hugepages the options name; the caller has
   * checked that the DMA source is hugepages (PciOpener does).
   *
   * @param address the device, for messages
   * @param options buffer count and DMA source
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
      final DmaMemory pool = keepFiles ? DmaMemory.allocateDeviceHugepages(arena, poolBytes, mount,
          DmaFiles.name(address, pid, "rx")) : DmaMemory.allocateHugepages(arena, poolBytes, mount);
      return new DeviceMemory(arena, rings,
          new MempoolImpl(address + " rx", pool, entrySize, options.bufferCount()));
    } catch (DmaException e) {
      throw new DeviceException(address, "allocate DMA memory",
          e.getMessage() + HugepageNeeds.describe(ringBytes, poolBytes), e);
    }
  }
}
