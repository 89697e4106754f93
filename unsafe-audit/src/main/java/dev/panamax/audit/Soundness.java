package dev.panamax.audit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds a member's soundness sentence: the sentence of its Javadoc (or, failing that, of the
 * comment right above it) that begins with the word {@code Sound}, as in "Sound: the offset is
 * bounds-checked." or "Sound for the same reason as {@code x}." Block tags ({@code @param}...)
 * are ignored; inline tags are reduced to their text and HTML tags dropped.
 */
final class Soundness {
  private Soundness() {}

  private static final Pattern START = Pattern.compile("\\bSound(?=[:\\s])");
  private static final Pattern END = Pattern.compile("[.!?](?=\\s|$)");

  static @Nullable String find(@Nullable String javadoc, String source, int memberStart) {
    String found = javadoc == null ? null : fromComment(javadoc);
    if (found == null) {
      String above = commentAbove(source, memberStart);
      found = above == null ? null : fromComment(above);
    }
    return found;
  }

  /** Extracts the sentence from a comment's text (without the comment markers). */
  static @Nullable String fromComment(String comment) {
    StringBuilder main = new StringBuilder();
    for (String line : comment.split("\n", -1)) {
      String l = line.strip();
      if (l.startsWith("*")) {
        l = l.substring(1).strip();
      }
      if (l.startsWith("//")) {
        l = l.substring(2).strip();
      }
      if (l.startsWith("@")) {
        break;
      }
      main.append(l).append(' ');
    }
    String text =
        main.toString()
            .replaceAll("\\{@(?:link|linkplain)\\s+([^}]*)}", "\0$1\0")
            .replaceAll("\\{@(?:code|literal)\\s+([^}]*)}", "$1")
            .replaceAll("<[^>]+>", " ")
            .replaceAll("\\s+", " ")
            .strip();
    text = links(text);
    Matcher start = START.matcher(text);
    while (start.find()) {
      String before = text.substring(0, start.start()).stripTrailing();
      if (before.isEmpty() || ".!?".indexOf(before.charAt(before.length() - 1)) >= 0) {
        Matcher end = END.matcher(text);
        return end.find(start.end())
            ? text.substring(start.start(), end.end())
            : text.substring(start.start());
      }
    }
    return null;
  }

  /** Replaces each link marked by NUL pairs with its label, or its reference ("Type.member"). */
  private static String links(String text) {
    StringBuilder out = new StringBuilder();
    String[] parts = text.split("\0", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i % 2 == 0) {
        out.append(parts[i]);
        continue;
      }
      String link = parts[i].strip();
      int close = link.indexOf(')');
      int space = link.indexOf(' ');
      int refEnd = link.indexOf('(') >= 0 && (space < 0 || link.indexOf('(') < space) ? close + 1 : space;
      if (refEnd <= 0 || refEnd > link.length()) {
        refEnd = link.length();
      }
      String label = link.substring(refEnd).strip();
      String ref = link.substring(0, refEnd);
      ref = ref.startsWith("#") ? ref.substring(1) : ref.replace('#', '.');
      out.append(label.isEmpty() ? ref : label);
    }
    return out.toString();
  }

  /** The text of the comment (block or run of line comments) ending right above {@code start}. */
  static @Nullable String commentAbove(String source, int start) {
    int i = start - 1;
    while (i >= 0 && Character.isWhitespace(source.charAt(i))) {
      i--;
    }
    if (i >= 1 && source.charAt(i) == '/' && source.charAt(i - 1) == '*') {
      int open = source.lastIndexOf("/*", i - 2);
      return open < 0 ? null : source.substring(open + 2, i - 1).replaceFirst("^\\*", "");
    }
    StringBuilder lines = new StringBuilder();
    int lineEnd = i + 1;
    while (lineEnd > 0) {
      int lineStart = source.lastIndexOf('\n', lineEnd - 1) + 1;
      String line = source.substring(lineStart, lineEnd).strip();
      if (!line.startsWith("//")) {
        break;
      }
      lines.insert(0, line + "\n");
      lineEnd = lineStart - 1;
      if (lineEnd < 0) {
        break;
      }
    }
    return lines.isEmpty() ? null : lines.toString();
  }
}
