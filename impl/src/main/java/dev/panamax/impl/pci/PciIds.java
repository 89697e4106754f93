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
    VIRTIO_MODERN,
    /** Intel 8254x, legacy descriptors (driver e1000). */
    E1000,
    /** Intel 82576, advanced descriptors (driver igb). */
    IGB,
    /** Intel 82599 and relatives, advanced descriptors (driver ixgbe). */
    IXGBE
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
      new Entry(0x1AF4, 0x1041, Family.VIRTIO_MODERN, "virtio-net (modern, virtio 1.0)"),
      // 8254x with copper PHY and the 82540EM register set (8254x SDM 1.x table of devices;
      // ids as in the PCI ID database). 82540EM is what QEMU's e1000 emulates. Fiber/SerDes
      // parts, the 82541/82547 and the 82542/82543/82544 are left out: untested link set-up.
      new Entry(0x8086, 0x100E, Family.E1000, "82540EM (e1000)"),
      new Entry(0x8086, 0x1015, Family.E1000, "82540EM LOM (e1000)"),
      new Entry(0x8086, 0x1016, Family.E1000, "82540EP LOM (e1000)"),
      new Entry(0x8086, 0x1017, Family.E1000, "82540EP (e1000)"),
      new Entry(0x8086, 0x101E, Family.E1000, "82540EP LP (e1000)"),
      new Entry(0x8086, 0x100F, Family.E1000, "82545EM copper (e1000)"),
      new Entry(0x8086, 0x1026, Family.E1000, "82545GM copper (e1000)"),
      new Entry(0x8086, 0x1010, Family.E1000, "82546EB copper (e1000)"),
      new Entry(0x8086, 0x1079, Family.E1000, "82546GB copper (e1000)"),
      // 82576 with copper PHY. 0x10C9 is what QEMU's igb emulates. Fiber/SerDes variants
      // (0x10E6, 0x10E7, 0x150D, 0x1518) need PCS link set-up and are left out.
      new Entry(0x8086, 0x10C9, Family.IGB, "82576 (igb)"),
      new Entry(0x8086, 0x10E8, Family.IGB, "82576 quad copper (igb)"),
      new Entry(0x8086, 0x1526, Family.IGB, "82576 quad copper ET2 (igb)"),
      new Entry(0x8086, 0x150A, Family.IGB, "82576NS (igb)"),
      // 82599 (X520 adapters use 0x10FB). The X540 (0x1528) has a different link set-up
      // (copper PHY behind the MAC) and is not listed until it can be tested.
      new Entry(0x8086, 0x10FB, Family.IXGBE, "82599ES SFP+ / X520 (ixgbe)"),
      new Entry(0x8086, 0x1507, Family.IXGBE, "82599 SFP+ EM (ixgbe)"),
      new Entry(0x8086, 0x1529, Family.IXGBE, "82599 SFP+ FCoE (ixgbe)"),
      new Entry(0x8086, 0x154D, Family.IXGBE, "82599 SFP+ SF2 (ixgbe)"),
      new Entry(0x8086, 0x1557, Family.IXGBE, "82599EN SFP+ (ixgbe)"),
      new Entry(0x8086, 0x10F7, Family.IXGBE, "82599 KX4 (ixgbe)"),
      new Entry(0x8086, 0x10F8, Family.IXGBE, "82599 backplane (ixgbe)"),
      new Entry(0x8086, 0x10FC, Family.IXGBE, "82599 XAUI LOM (ixgbe)"),
      new Entry(0x8086, 0x151C, Family.IXGBE, "82599 10GBASE-T3 LOM (ixgbe)"));

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
