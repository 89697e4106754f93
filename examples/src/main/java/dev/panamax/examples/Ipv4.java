package dev.panamax.examples;

/**
 * IPv4 addresses as {@code int}s in network order: the first octet is the most significant byte,
 * as {@code OwnedPacket.getInt} reads an address from a header.
 */
public final class Ipv4 {
  private Ipv4() {}

  /**
   * Parses a dotted-quad address such as {@code 10.11.0.2}: four decimal octets 0 to 255, no
   * host names (nothing is looked up).
   *
   * @param text the address
   * @return the address as an int
   * @throws IllegalArgumentException naming the text when it is not such an address
   */
  public static int parse(String text) {
    final String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw invalid(text, "expected four decimal octets separated by '.'");
    }
    int address = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw invalid(text, "'" + OptionChecks.echo(part) + "' is not a decimal octet");
      }
      final int octet = Integer.parseInt(part);
      if (octet > 255) {
        throw invalid(text, "octet " + octet + " is above 255");
      }
      address = (address << 8) | octet;
    }
    return address;
  }

  /**
   * Formats an address as a dotted quad.
   *
   * @param address the address
   * @return e.g. {@code "10.11.0.2"}
   */
  public static String format(int address) {
    return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF)
        + "." + (address & 0xFF);
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException(
        OptionChecks.echo(text) + ": parse IPv4 address: " + why + ", e.g. 10.11.0.2");
  }
}
