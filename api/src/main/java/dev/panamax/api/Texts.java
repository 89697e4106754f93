package dev.panamax.api;

import java.util.Locale;

/**
 * Repeats user input in messages the way Panamax's own errors do: on one line and no longer than
 * a line, so that a pasted 10 KB device spec does not become a 20 KB error. For applications'
 * own messages too (the example apps use it for their option checks).
 */
public final class Texts {
  /** The most characters of an input a message repeats. */
  public static final int ECHO_LIMIT = 80;

  private Texts() {}

  /**
   * Returns the text as a message shows it: control characters written as {@code \\uXXXX}, and
   * cut after {@value #ECHO_LIMIT} characters with the full length appended, e.g. {@code
   * "pair:aaaa…(10240 chars)"}.
   *
   * @param text input to repeat in a message
   * @return a short, single-line form of it
   */
  public static String echo(String text) {
    final int shown = Math.min(text.length(), ECHO_LIMIT);
    final StringBuilder sb = new StringBuilder(shown + 20);
    for (int i = 0; i < shown; i++) {
      final char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (text.length() > shown) {
      sb.append("…(").append(text.length()).append(" chars)");
    }
    return sb.toString();
  }
}
