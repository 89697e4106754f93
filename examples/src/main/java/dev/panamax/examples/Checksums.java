package dev.panamax.examples;

/** The Internet checksum (RFC 1071) over byte arrays. */
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
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) (~sum & 0xFFFF);
  }
}
