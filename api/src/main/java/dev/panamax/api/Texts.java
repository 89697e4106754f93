package dev.panamax.api;

import java.util.Locale;

/** Echoes user input in messages: on one line and no longer than a line. */
final class Texts {
  /** The most characters of an input a message repeats. */
  static final int ECHO_LIMIT = 80;

  private Texts() {}

  /**
   * Returns the text as a message shows it: control characters written as {@code \\uXXXX}, and
   * cut after {@value #ECHO_LIMIT} characters with the full length appended, e.g. {@code
   * "pair:aaaa…(10240 chars)"}.
   *
   * @param text input to repeat in a message
   * @return a short, single-line form of it
   */
  static String echo(String text) {
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
