package dev.panamax.examples;

import dev.panamax.api.Borrowed;
import dev.panamax.api.OwnedPacket;

/** The Internet checksum (RFC 1071) over byte arrays and packet bytes. */
public final class Checksums {
  private Checksums() {}

  /**
   * Computes the ones'-complement checksum of a byte range, as IPv4 and ICMP headers carry it.
   *
   * @param data the bytes
   * @param offset first byte
   * @param length number of bytes
   * @return the 16-bit checksum, ready to store big-endian
   */
  public static int internet(byte[] data, int offset, int length) {
    long sum = 0;
    for (int i = 0; i + 1 < length; i += 2) {
      sum += ((data[offset + i] & 0xFF) << 8) | (data[offset + i + 1] & 0xFF);
    }
    if ((length & 1) != 0) {
      sum += (data[offset + length - 1] & 0xFF) << 8;
    }
    return fold(sum);
  }

  /**
   * Computes the same checksum over bytes of a packet, in place (nothing is copied). Over a
   * range that includes a correct checksum field the result is 0.
   *
   * @param packet the packet, borrowed
   * @param offset first byte
   * @param length number of bytes; {@code offset + length} must not exceed the packet length
   * @return the 16-bit checksum, ready to store big-endian
   */
  public static int internet(@Borrowed OwnedPacket packet, int offset, int length) {
    long sum = 0;
    for (int i = 0; i + 1 < length; i += 2) {
      sum += packet.getUnsignedShort(offset + i);
    }
    if ((length & 1) != 0) {
      sum += packet.getUnsignedByte(offset + length - 1) << 8;
    }
    return fold(sum);
  }

  private static int fold(long sum) {
    long s = sum;
    while ((s >>> 16) != 0) {
      s = (s & 0xFFFF) + (s >>> 16);
    }
    return (int) (~s & 0xFFFF);
  }
}
