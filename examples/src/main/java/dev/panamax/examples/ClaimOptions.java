package dev.panamax.examples;

import dev.panamax.api.DeviceOptions;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * How an app may claim its PCI devices, mixed into every app with picocli's {@code @Mixin}:
 * {@code --take-over-from DRIVER} lets it take a device bound to that user-space driver
 * (vfio-pci, uio_pci_generic or igb_uio), which is refused otherwise.
 */
public final class ClaimOptions {
  @Option(names = "--take-over-from", paramLabel = "DRIVER", description = "take a PCI device"
      + " even though it is bound to this user-space driver (vfio-pci, uio_pci_generic, igb_uio),"
      + " which another program may be using; it is bound back on close")
  @Nullable String takeOverFrom;

  /** Creates the options with their defaults; picocli fills them from the command line. */
  public ClaimOptions() {}

  /**
   * Adds these choices to device options.
   *
   * @param options the options so far
   * @return the options with the take-over choice, if any
   */
  public DeviceOptions apply(DeviceOptions options) {
    final String driver = takeOverFrom;
    return driver == null ? options : options.withTakeOverFrom(driver);
  }
}
