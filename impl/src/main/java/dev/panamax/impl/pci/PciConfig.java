package dev.panamax.impl.pci;

import java.util.ArrayList;
import java.util.List;

/**
 * Parsed type-0 configuration space header (PCI Local Bus Specification 3.0, 6.1 and 6.2) and
 * its capability list (6.7).
 *
 * @param bytes the configuration space as read from sysfs
 */
public record PciConfig(byte[] bytes) {
  /** Capability ID of a vendor-specific capability (virtio uses it, virtio 1.0 4.1.4). */
  public static final int CAP_VENDOR_SPECIFIC = 0x09;

  /** Base class code of network controllers (PCI Code and ID Assignment 1.x, class 02h). */
  public static final int CLASS_NETWORK = 0x02;

  /**
   * Checks that the header is there.
   *
   * @throws IllegalArgumentException if fewer than 64 bytes were read
   */
  public PciConfig {
    if (bytes.length < 64) {
      throw new IllegalArgumentException(
          "configuration space has " + bytes.length + " bytes, a type-0 header needs 64");
    }
    bytes = bytes.clone();
  }

  /**
   * Reads an unsigned byte.
   *
   * @param offset config offset
   * @return the value
   */
  public int u8(int offset) {
    return bytes[offset] & 0xFF;
  }

  /**
   * Reads a little-endian 16-bit value.
   *
   * @param offset config offset
   * @return the value
   */
  public int u16(int offset) {
    return u8(offset) | (u8(offset + 1) << 8);
  }

  /**
   * Reads a little-endian 32-bit value.
   *
   * @param offset config offset
   * @return the value
   */
  public int u32(int offset) {
    return u16(offset) | (u16(offset + 2) << 16);
  }

  /**
   * Vendor ID (offset 00h).
   *
   * @return the vendor ID
   */
  public int vendorId() {
    return u16(0x00);
  }

  /**
   * Device ID (offset 02h).
   *
   * @return the device ID
   */
  public int deviceId() {
    return u16(0x02);
  }

  /**
   * Base class code (offset 0Bh).
   *
   * @return the base class
   */
  public int baseClass() {
    return u8(0x0B);
  }

  /**
   * Subclass code (offset 0Ah).
   *
   * @return the subclass
   */
  public int subClass() {
    return u8(0x0A);
  }

  /**
   * Subsystem ID (offset 2Eh); virtio legacy devices put the virtio device type here.
   *
   * @return the subsystem ID
   */
  public int subsystemId() {
    return u16(0x2E);
  }

  /**
   * Walks the capability list: Status bit 4 (offset 06h) says it exists, offset 34h points to
   * the first entry, each entry is {ID, next pointer, data}.
   *
   * @return config offsets of all capabilities, in list order
   */
  public List<Integer> capabilities() {
    final List<Integer> out = new ArrayList<>();
    if ((u16(0x06) & 0x10) == 0) {
      return out;
    }
    int pointer = u8(0x34) & 0xFC;
    while (pointer >= 0x40 && pointer + 2 <= bytes.length && out.size() < 48) {
      out.add(pointer);
      pointer = u8(pointer + 1) & 0xFC;
    }
    return out;
  }

  /**
   * Describes the class for messages.
   *
   * @return e.g. "class 01:00 (mass storage controller)"
   */
  public String describeClass() {
    final String name = switch (baseClass()) {
      case 0x00 -> "unclassified device";
      case 0x01 -> "mass storage controller";
      case 0x02 -> "network controller";
      case 0x03 -> "display controller";
      case 0x04 -> "multimedia controller";
      case 0x05 -> "memory controller";
      case 0x06 -> "bridge";
      case 0x07 -> "communication controller";
      case 0x08 -> "system peripheral";
      case 0x0C -> "serial bus controller";
      default -> "other device";
    };
    return String.format("class %02x:%02x (%s)", baseClass(), subClass(), name);
  }
}
