package dev.panamax.api;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PCI function address: domain, bus, device, function.
 *
 * @param domain PCI segment, 0 to 0xffff
 * @param bus bus number, 0 to 0xff
 * @param device device number, 0 to 0x1f
 * @param function function number, 0 to 7
 */
public record PciAddress(int domain, int bus, int device, int function) {

  private static final Pattern FORM =
      Pattern.compile("(?:([0-9A-Fa-f]{4}):)?([0-9A-Fa-f]{2}):([0-9A-Fa-f]{2})\\.([0-7])");

  /**
   * Checks the ranges.
   *
   * @throws IllegalArgumentException naming the field out of range
   */
  public PciAddress {
    check("domain", domain, 0xFFFF);
    check("bus", bus, 0xFF);
    check("device", device, 0x1F);
    check("function", function, 7);
  }

  private static void check(String field, int value, int max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(
          "PCI " + field + " " + value + " outside 0.." + max);
    }
  }

  /**
   * Parses {@code 0000:03:00.0} or {@code 03:00.0} (domain 0).
   *
   * @param text the address
   * @return the parsed address
   * @throws IllegalArgumentException naming the text (cut after 80 characters) and the expected
   *     form
   * @throws NullPointerException if text is null
   */
  public static PciAddress parse(String text) {
    Objects.requireNonNull(text, "PciAddress.parse(null)");
    final Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid PCI address '"
              + Texts.echo(text)
              + "': expected DDDD:BB:DD.F or BB:DD.F in hex, e.g. 0000:03:00.0 or 03:00.0");
    }
    final int dev = Integer.parseInt(m.group(3), 16);
    if (dev > 0x1F) {
      throw new IllegalArgumentException(
          "invalid PCI address '"
              + text
              + "': device number 0x"
              + m.group(3)
              + " exceeds 0x1f; expected DDDD:BB:DD.F, e.g. 0000:03:00.0");
    }
    final String domain = m.group(1);
    return new PciAddress(
        domain == null ? 0 : Integer.parseInt(domain, 16),
        Integer.parseInt(m.group(2), 16),
        dev,
        Integer.parseInt(m.group(4)));
  }

  /**
   * Tells whether a text looks like a PCI address (without validating ranges).
   *
   * @param text a device spec
   * @return {@code true} if {@link #parse(String)} should be tried
   */
  public static boolean looksLikePciAddress(String text) {
    return !text.isEmpty() && Character.digit(text.charAt(0), 16) >= 0 && text.contains(":")
        && !text.contains("/");
  }

  /**
   * Returns the canonical form, as in sysfs: {@code 0000:03:00.0}.
   *
   * @return the address text
   */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%04x:%02x:%02x.%d", domain, bus, device, function);
  }
}
