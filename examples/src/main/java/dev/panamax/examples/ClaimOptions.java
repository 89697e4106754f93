package dev.panamax.examples;

import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaMode;
import dev.panamax.api.NetworkDevice;
import java.io.PrintStream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * How an app may claim its PCI devices, mixed into every app with picocli's {@code @Mixin}:
 * {@code --take-over-from DRIVER} lets it take a device bound to that user-space driver
 * (vfio-pci, uio_pci_generic or igb_uio) away from another program, which is refused otherwise;
 * {@code --dma vfio|physical|auto} chooses how the device is given DMA addresses.
 */
public final class ClaimOptions {
  @Option(names = "--take-over-from", paramLabel = "DRIVER", description = "take a PCI device"
      + " even though it is bound to this user-space driver (vfio-pci, uio_pci_generic, igb_uio),"
      + " which another program may be using; it is bound back on close")
  @Nullable String takeOverFrom;

  @Option(names = "--dma", paramLabel = "MODE", description = "how a PCI device reaches memory:"
      + " vfio (through the IOMMU, confined to Panamax's memory), physical (physical addresses,"
      + " as root, unconfined) or auto (vfio where the device can, else physical with a warning;"
      + " the default)")
  String dma = "auto";

  /** Creates the options with their defaults; picocli fills them from the command line. */
  public ClaimOptions() {}

  /**
   * Prints how an open PCI device reaches memory, one line before the app's first line (in-memory
   * devices have no DMA and print nothing): e.g. {@code "pktgen: 0000:01:00.0: DMA through the
   * IOMMU: vfio-pci, IOMMU group 3"}, or the warning when auto fell back to physical addresses.
   *
   * @param out where the app prints
   * @param app the app's name
   * @param dev the open device
   */
  public static void announce(PrintStream out, String app, NetworkDevice dev) {
    final String dma = dev.dmaDescription();
    if (!dma.startsWith("no DMA")) {
      out.println(app + ": " + dev.address() + ": " + dma);
    }
  }

  /**
   * Adds these choices to device options.
   *
   * @param options the options so far
   * @return the options with the take-over choice, if any
   */
  public DeviceOptions apply(DeviceOptions options) {
    final String driver = takeOverFrom;
    final DeviceOptions withDma = options.withDma(DmaMode.parse(dma));
    return driver == null ? withDma : withDma.withTakeOverFrom(driver);
  }
}
