package dev.panamax.impl.intel;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.impl.device.BaseDevice;
import dev.panamax.impl.device.DeviceMemory;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.mempool.MempoolImpl;
import dev.panamax.impl.pci.PciOpener;
import dev.panamax.impl.unsafe.Mmio;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Opens an Intel NIC found by {@link PciOpener#check}: DMA memory first, then unbind the kernel
 * driver, map BAR 0 and run the family's init on a {@link Hardware}. If init fails the device
 * is reset (CTRL.RST, the same bit in every family) and the kernel driver bound back.
 */
public final class IntelOpener {
  private IntelOpener() {}

  /** A family's init: returns the running device or throws naming the failed step. */
  @FunctionalInterface
  public interface Starter {
    /**
     * Initialises the device.
     *
     * @param hardware registers, memory and hooks
     * @param options the options
     * @return the running device
     */
    IntelDevice start(Hardware hardware, DeviceOptions options);
  }

  /**
   * Opens the device.
   *
   * @param context the checked device
   * @param options ring size, buffer count and queues
   * @param maxQueues the queues each way the family's driver drives
   * @param starter the family's init
   * @return the running device
   */
  public static IntelDevice open(PciOpener.Context context, DeviceOptions options, int maxQueues,
      Starter starter) {
    final String address = context.address();
    BaseDevice.checkQueueCounts(address, options,
        context.entry().family().name().toLowerCase(Locale.ROOT), maxQueues, maxQueues);
    final DeviceMemory memory = DeviceMemory.allocate(address, options, Hardware.RING_MEMORY,
        Hardware.RX_ENTRY_SIZE, !context.usesVfio());
    final Arena arena = memory.arena();
    final DmaMemory ringMemory = memory.rings();
    final List<MempoolImpl> rxPools = memory.rxPools();
    Mmio registers = null;
    String step = "map BAR 0";
    try {
      context.attach();
      step = "map DMA memory";
      ringMemory.assignTo(context.dmaSpace());
      for (MempoolImpl pool : rxPools) {
        context.dmaSpace().makeReachable(pool.memory());
      }
      step = "map BAR 0";
      registers = context.mapBar(0, arena);
      final Hardware hardware = new Hardware(address, registers, ringMemory, rxPools,
          context::enableBusMaster, context::releaseOnClose, () -> context.openInterrupt(false));
      final IntelDevice device = starter.start(hardware, options);
      device.describeDma(context.dmaDescription());
      device.watchRemoval(context::removalRequested);
      return device;
    } catch (RuntimeException e) {
      step = e instanceof DeviceException d ? d.step() : step;
      final String detail = e instanceof DeviceException d ? detailOf(d) : String.valueOf(e.getMessage());
      resetQuietly(registers);
      final String rebind = context.release();
      throw new DeviceException(address, step, detail + rebind, e);
    }
  }

  /**
   * Resets a device that a process left running when it died (bus mastering is off already, so
   * it no longer reaches memory): CTRL.RST, the same bit in every family (8254x SDM 13.4.1,
   * 82576 8.2.1, 82599 8.2.3.1.1), clears every ring and DMA engine; waits until the bit
   * self-clears.
   *
   * @param context the claimed device
   * @throws DeviceException at step "reset device" if the bit does not clear within a second
   */
  public static void resetAfterCrash(PciOpener.Context context) {
    try (Arena arena = Arena.ofConfined()) {
      final Mmio registers = context.mapBar(0, arena);
      registers.write32(IntelDevice.CTRL, registers.read32(IntelDevice.CTRL) | IntelDevice.CTRL_RST);
      final long deadline = System.nanoTime() + 1_000_000_000L;
      do {
        IntelDevice.sleepMillis(10);
        if ((registers.read32(IntelDevice.CTRL) & IntelDevice.CTRL_RST) == 0) {
          return;
        }
      } while (System.nanoTime() - deadline < 0);
      throw new DeviceException(context.address(), "reset device", "CTRL.RST did not clear within 1 s");
    }
  }

  private static String detailOf(DeviceException e) {
    final String message = String.valueOf(e.getMessage());
    final String prefix = e.device() + ": " + e.step() + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /** CTRL.RST stops every DMA engine; errors are ignored, the original failure matters. */
  private static void resetQuietly(@Nullable Mmio registers) {
    if (registers == null) {
      return;
    }
    try {
      registers.write32(IntelDevice.CTRL, registers.read32(IntelDevice.CTRL) | IntelDevice.CTRL_RST);
      IntelDevice.sleepMillis(10);
    } catch (RuntimeException ignored) {
      // Keep the first failure.
    }
  }
}
