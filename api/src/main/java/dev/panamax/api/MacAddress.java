package dev.panamax.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A 48-bit Ethernet MAC address, immutable.
 *
 * @param value the address in the low 48 bits, first octet most significant
 */
public record MacAddress(long value) {

  /** {@code ff:ff:ff:ff:ff:ff}. */
  public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);

  private static final Pattern FORM =
      Pattern.compile("[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}");

  /**
   * Checks the value.
   *
   * @throws IllegalArgumentException if bits above 48 are set
   */
  public MacAddress {
    if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
      throw new IllegalArgumentException(
          "MAC address value 0x" + Long.toHexString(value) + " has more than 48 bits");
    }
  }

  /**
   * Parses {@code 52:54:00:12:34:56} or {@code 52-54-00-12-34-56}.
   *
   * @param text the address
   * @return the parsed address
   * @throws IllegalArgumentException naming the text (cut after 80 characters) and the expected
   *     form
   * @throws NullPointerException if text is null
   */
  public static MacAddress parse(String text) {
    Objects.requireNonNull(text, "MacAddress.parse(null)");
    if (!FORM.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "invalid MAC address '"
              + Texts.echo(text)
              + "': expected six two-digit hex octets separated by ':' or '-',"
              + " e.g. 52:54:00:12:34:56");
    }
    long v = 0;
    for (int i = 0; i < 6; i++) {
      v = (v << 8) | Integer.parseInt(text.substring(3 * i, 3 * i + 2), 16);
    }
    return new MacAddress(v);
  }

  /**
   * Builds an address from six octets.
   *
   * @param octets the octets, first on the wire first
   * @return the address
   * @throws IllegalArgumentException if there are not exactly six octets
   * @throws NullPointerException if octets is null
   */
  public static MacAddress of(byte[] octets) {
    Objects.requireNonNull(octets, "MacAddress.of(null)");
    if (octets.length != 6) {
      throw new IllegalArgumentException("a MAC address has 6 octets, got " + octets.length);
    }
    long v = 0;
    for (byte b : octets) {
      v = (v << 8) | (b & 0xFF);
    }
    return new MacAddress(v);
  }

  /**
   * Returns the six octets.
   *
   * @return a new array, first on the wire first
   */
  public byte[] octets() {
    final byte[] out = new byte[6];
    for (int i = 0; i < 6; i++) {
      out[i] = (byte) (value >>> (40 - 8 * i));
    }
    return out;
  }

  /**
   * Tells whether this is a group (multicast or broadcast) address.
   *
   * @return {@code true} if the I/G bit of the first octet is set
   */
  public boolean isMulticast() {
    return (value & 0x0100_0000_0000L) != 0;
  }

  @Override
  public String toString() {
    final StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        sb.append(':');
      }
      final int octet = (int) (value >>> (40 - 8 * i)) & 0xFF;
      sb.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
    }
    return sb.toString();
  }
}
