package dev.panamax.examples;

import dev.panamax.api.DeviceOptions;
import dev.panamax.api.Mempool;
import dev.panamax.api.PciAddress;
import dev.panamax.api.Texts;
import java.util.Locale;

/**
 * Checks of command-line values and their limits, run by every app before it opens a device.
 * Each failure is an {@link IllegalArgumentException} whose message is one line naming the
 * option, the value and the limit, e.g. {@code --size 1985: must be between 60 and 1984 (the
 * packet capacity of a 2048-byte buffer)}; the launcher prints it after the app's name and
 * exits with status 1.
 */
public final class OptionChecks {
  /** The longest run or idle time, in seconds (about 31 years): its nanoseconds fit a long. */
  public static final long MAX_SECONDS = 1_000_000_000L;

  /**
   * The largest batch of a receiving app: the device's receive pool holds {@value} buffers, so a
   * larger batch could never fill.
   */
  public static final int MAX_RX_BATCH = DeviceOptions.DEFAULT_BUFFER_COUNT;

  /** Bytes per mempool entry in the apps. */
  public static final int ENTRY_SIZE = 2048;

  /** The largest frame the apps send: an entry minus the 64 bytes of driver headroom. */
  public static final int MAX_FRAME = ENTRY_SIZE - 64;

  /** The largest rate pktgen accepts, in packets per second. */
  public static final long MAX_PPS = 1_000_000_000L;

  /** The most frames recv --count tracks: one bit each, 128 MiB of heap at the limit. */
  public static final long MAX_EXPECTED = 1L << 30;

  private OptionChecks() {}

  /**
   * Checks that a value lies in a range.
   *
   * @param option the option as typed, e.g. {@code --size}
   * @param value the value given
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @param limit what {@code max} is, e.g. "the buffer size", or an empty string
   * @return the value
   * @throws IllegalArgumentException naming the option, the value and the range
   */
  public static long range(String option, long value, long min, long max, String limit) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(option + " " + value + ": must be between " + min
          + " and " + max + (limit.isEmpty() ? "" : " (" + limit + ")"));
    }
    return value;
  }

  /**
   * Checks a count that has no upper limit.
   *
   * @param option the option as typed
   * @param value the value given
   * @return the value
   * @throws IllegalArgumentException if it is negative
   */
  public static long notNegative(String option, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(option + " " + value + ": must be at least 0");
    }
    return value;
  }

  /**
   * Checks a number of seconds where 0 means "never" or "no limit".
   *
   * @param option the option as typed
   * @param value the value given
   * @return the value
   */
  public static long seconds(String option, long value) {
    return range(option, value, 0, MAX_SECONDS, "about 31 years");
  }

  /**
   * Checks the batch size of a receiving app.
   *
   * @param value the value of {@code --batch}
   * @return the value
   */
  public static int rxBatch(int value) {
    range("--batch", value, 1, MAX_RX_BATCH, "the device's receive buffers");
    return value;
  }

  /**
   * Checks the frame size of a generating app.
   *
   * @param value the value of {@code --size}
   * @return the value
   */
  public static int frameSize(int value) {
    range("--size", value, TestFrame.MIN_LENGTH, MAX_FRAME,
        "the packet capacity of a " + ENTRY_SIZE + "-byte buffer");
    return value;
  }

  /**
   * Checks a mempool size.
   *
   * @param value the value of {@code --buffers}
   * @return the value
   */
  public static int buffers(int value) {
    range("--buffers", value, 1, Mempool.MAX_ENTRY_COUNT, "Mempool.MAX_ENTRY_COUNT");
    return value;
  }

  /**
   * Refuses the same device twice on one command line, before either is opened: a PCI address
   * in its short and long form, or in upper and lower case, is the same device.
   *
   * @param firstLabel e.g. {@code DEV1}
   * @param first the first spec
   * @param secondLabel e.g. {@code DEV2}
   * @param second the second spec
   * @throws IllegalArgumentException naming the device
   */
  public static void distinctDevices(String firstLabel, String first, String secondLabel,
      String second) {
    if (canonical(first).equals(canonical(second))) {
      throw new IllegalArgumentException(secondLabel + " " + echo(second) + ": the same device as "
          + firstLabel + "; give two different devices");
    }
  }

  private static String canonical(String spec) {
    if (PciAddress.looksLikePciAddress(spec)) {
      try {
        return PciAddress.parse(spec).toString();
      } catch (IllegalArgumentException e) {
        return spec.toLowerCase(Locale.ROOT); // opening it will say what is wrong
      }
    }
    return spec;
  }

  /**
   * Returns input as a message repeats it: on one line (control characters as {@code \\uXXXX})
   * and cut after {@value Texts#ECHO_LIMIT} characters with the full length appended.
   *
   * @param text the input
   * @return the short, single-line form
   */
  public static String echo(String text) {
    return Texts.echo(text);
  }
}
