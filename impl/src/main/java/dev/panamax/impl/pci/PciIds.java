package dev.panamax.impl.pci;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The explicit table of devices Panamax drives, by vendor and device ID. A device not listed
 * here is refused, never guessed at.
 */
public final class PciIds {
  private PciIds() {}

  /** Device families, one driver class each. */
  public enum Family {
    /** virtio-net, legacy/transitional (virtio 1.0, 4.1.2.3). */
    VIRTIO_LEGACY,
    /** virtio-net, modern (virtio 1.0, 4.1.2.1: 0x1040 + device type 1). */
    VIRTIO_MODERN
  }

  /**
   * One supported device.
   *
   * @param vendor vendor ID
   * @param device device ID
   * @param family driver family
   * @param name human-readable name
   */
  public record Entry(int vendor, int device, Family family, String name) {
    @Override
    public String toString() {
      return String.format("%04x:%04x %s", vendor, device, name);
    }
  }

  private static final List<Entry> TABLE = List.of(
      new Entry(0x1AF4, 0x1000, Family.VIRTIO_LEGACY, "virtio-net (legacy/transitional)"),
      new Entry(0x1AF4, 0x1041, Family.VIRTIO_MODERN, "virtio-net (modern, virtio 1.0)"));

  /**
   * Looks a device up.
   *
   * @param vendor vendor ID
   * @param device device ID
   * @return the entry, if supported
   */
  public static Optional<Entry> find(int vendor, int device) {
    return TABLE.stream().filter(e -> e.vendor() == vendor && e.device() == device).findFirst();
  }

  /**
   * Lists the supported devices for messages.
   *
   * @return e.g. "1af4:1000 virtio-net (legacy/transitional), …"
   */
  public static String supported() {
    return TABLE.stream().map(Entry::toString).collect(Collectors.joining(", "));
  }
}
