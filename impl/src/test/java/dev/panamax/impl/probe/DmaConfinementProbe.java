package dev.panamax.impl.probe;

import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaMode;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.api.PciAddress;
import dev.panamax.impl.device.DeviceMemory;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.igb.Igb;
import dev.panamax.impl.intel.Hardware;
import dev.panamax.impl.pci.PciOpener;
import dev.panamax.impl.unsafe.BusAddresses;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * A fault injected on purpose, for the test bed's confinement scenario only (test sources, never
 * in a Panamax jar): opens an 82576 (igb) through VFIO like the driver does, except that its
 * receive buffers are given an I/O virtual address at which nothing is mapped. Every frame the
 * NIC receives then makes it write outside all of Panamax's IOMMU mappings.
 *
 * <p>The buffers themselves are a canary: filled with a pattern before the device starts and
 * checked after it stopped. On the physical path the device would write wherever the address
 * pointed; through the IOMMU the write must fault (the guest kernel logs a DMAR fault for the
 * device) and change nothing. The probe reports what the device claimed to have received, how
 * many of those frames it could not write (pattern intact: the application sees an error, not
 * data), and whether any canary byte changed; it ends on its own after the given time.
 *
 * <p>Usage (as root, in the VM): {@code java --enable-native-access=ALL-UNNAMED -cp
 * api.jar:impl.jar:impl/target/test-classes dev.panamax.impl.probe.DmaConfinementProbe PCI
 * SECONDS}. Exit 0 when frames arrived, none was written and the canary is intact.
 */
public final class DmaConfinementProbe {
  /** 256 GiB: above everything the container gives out (4 GiB up), mapped to nothing. */
  static final long UNMAPPED_IOVA = 1L << 38;
  private static final byte PATTERN = (byte) 0xA5;

  private DmaConfinementProbe() {}

  /**
   * Runs the probe.
   *
   * @param args PCI address of an igb NIC, seconds to receive
   */
  public static void main(String[] args) {
    final String address = PciAddress.parse(args[0]).toString();
    final long seconds = Long.parseLong(args[1]);
    final DeviceOptions options = DeviceOptions.defaults().withDma(DmaMode.VFIO).withBufferCount(1024);
    final PciOpener.Context context = PciOpener.check(PciAddress.parse(address), options, Path.of("/sys"));
    context.claim(Path.of("/run/panamax"));
    final DeviceMemory memory = DeviceMemory.allocate(address, options, Hardware.RING_MEMORY,
        Hardware.RX_ENTRY_SIZE, false);
    context.attach();
    memory.rings().assignTo(context.dmaSpace());
    final DmaMemory canary = memory.rxPool().memory();
    final MemorySegment bytes = canary.segment();
    bytes.fill(PATTERN);
    // The fault: addresses for the receive buffers at which the IOMMU maps nothing.
    canary.setIova(BusAddresses.ioVirtual(bytes, UNMAPPED_IOVA));
    System.out.println("probe: " + address + ": " + context.dmaDescription() + "; receive buffers"
        + " (" + (bytes.byteSize() >> 20) + " MiB canary, pattern 0xa5) posted at unmapped I/O"
        + " virtual address 0x" + Long.toHexString(UNMAPPED_IOVA));
    final Hardware hardware = new Hardware(address, context.mapBar(0, memory.arena()),
        memory.rings(), memory.rxPool(), context::enableBusMaster, context::release);
    long frames = 0;
    long unwritten = 0;
    final Igb device = Igb.start(hardware, options);
    try {
      device.setPromiscuous(true);
      final PacketBatch batch = new PacketBatch(32);
      final long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      while (System.nanoTime() < deadline) {
        final int n = device.rxBatch(0, batch, 32);
        for (int i = 0; i < n; i++) {
          final OwnedPacket p = batch.take();
          frames++;
          if (untouched(p)) {
            unwritten++;
          }
          p.free();
        }
        if (n == 0) {
          Thread.onSpinWait();
        }
      }
    } finally {
      device.close();
    }
    long changed = 0;
    for (long i = 0; i < bytes.byteSize(); i++) {
      if (bytes.get(ValueLayout.JAVA_BYTE, i) != PATTERN) {
        changed++;
      }
    }
    System.out.println("probe: the device reported " + frames + " frames received, " + unwritten
        + " of them unwritten (their buffers still hold the pattern: the application sees invalid"
        + " frames, not another program's memory)");
    System.out.println("probe: canary: " + changed + " of " + bytes.byteSize() + " bytes changed");
    final boolean confined = frames > 0 && unwritten == frames && changed == 0;
    System.out.println("RESULT confinement " + (confined ? "held" : "FAILED"));
    System.exit(confined ? 0 : 1);
  }

  private static boolean untouched(OwnedPacket packet) {
    for (int i = 0; i < packet.length(); i++) {
      if (packet.getByte(i) != PATTERN) {
        return false;
      }
    }
    return true;
  }
}
