package dev.panamax.audit;

/**
 * Tells which lines of a Java or Kotlin source file are code lines: lines with at least one
 * character that is neither whitespace nor part of a comment. Blank lines, lines holding only
 * {@code //} comments, and lines inside or made only of {@code /* *}{@code /} and
 * {@code /** *}{@code /} comments are not code. Comment markers inside string, character and
 * text-block literals are literal text, not comments. Kotlin block comments nest; Java's do not.
 */
public final class CodeLines {
  private final boolean[] code;

  private CodeLines(boolean[] code) {
    this.code = code;
  }

  private enum State {
    CODE,
    BLOCK_COMMENT,
    STRING,
    CHAR,
    TEXT_BLOCK
  }

  /**
   * Scans a Java source.
   *
   * @param source the file's text
   * @return its code lines
   */
  public static CodeLines ofJava(String source) {
    return scan(source, false);
  }

  /**
   * Scans a Kotlin source (nested block comments; raw strings like text blocks).
   *
   * @param source the file's text
   * @return its code lines
   */
  public static CodeLines ofKotlin(String source) {
    return scan(source, true);
  }

  private static CodeLines scan(String s, boolean kotlin) {
    int lines = 1;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        lines++;
      }
    }
    boolean[] code = new boolean[lines + 1];
    State state = State.CODE;
    int depth = 0;
    int line = 1;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      char next = i + 1 < n ? s.charAt(i + 1) : '\0';
      if (c == '\n') {
        line++;
        if (state == State.STRING || state == State.CHAR) {
          state = State.CODE; // unterminated literal: the compiler would reject it anyway
        }
        continue;
      }
      switch (state) {
        case CODE -> {
          if (c == '/' && next == '/') {
            while (i + 1 < n && s.charAt(i + 1) != '\n') {
              i++;
            }
          } else if (c == '/' && next == '*') {
            state = State.BLOCK_COMMENT;
            depth = 1;
            i++;
          } else if (c == '"' && s.startsWith("\"\"\"", i)) {
            code[line] = true;
            state = State.TEXT_BLOCK;
            i += 2;
          } else if (c == '"') {
            code[line] = true;
            state = State.STRING;
          } else if (c == '\'') {
            code[line] = true;
            state = State.CHAR;
          } else if (!Character.isWhitespace(c)) {
            code[line] = true;
          }
        }
        case BLOCK_COMMENT -> {
          if (c == '*' && next == '/') {
            i++;
            depth--;
            if (!kotlin || depth == 0) {
              state = State.CODE;
            }
          } else if (kotlin && c == '/' && next == '*') {
            i++;
            depth++;
          }
        }
        case STRING, CHAR -> {
          code[line] = true;
          if (c == '\\') {
            if (next != '\n') {
              i++;
            }
          } else if ((state == State.STRING && c == '"') || (state == State.CHAR && c == '\'')) {
            state = State.CODE;
          }
        }
        case TEXT_BLOCK -> {
          if (!Character.isWhitespace(c)) {
            code[line] = true;
          }
          if (c == '\\' && !kotlin) {
            if (next != '\n') {
              i++;
            }
          } else if (c == '"' && s.startsWith("\"\"\"", i)) {
            i += 2;
            state = State.CODE;
          }
        }
      }
    }
    return new CodeLines(code);
  }

  /**
   * Returns the number of lines in the file.
   *
   * @return lines, counting a last line without a newline
   */
  public int lineCount() {
    return code.length - 1;
  }

  /**
   * Tells whether a line is a code line.
   *
   * @param line 1-based line number
   * @return {@code true} for a code line
   */
  public boolean isCode(int line) {
    return line >= 1 && line < code.length && code[line];
  }

  /**
   * Counts the code lines in a range.
   *
   * @param from first line, 1-based, inclusive
   * @param to last line, inclusive
   * @return code lines in {@code [from, to]}
   */
  public int count(int from, int to) {
    int total = 0;
    for (int l = Math.max(1, from); l <= Math.min(to, lineCount()); l++) {
      if (code[l]) {
        total++;
      }
    }
    return total;
  }

  /**
   * Counts all code lines.
   *
   * @return code lines in the file
   */
  public int total() {
    return count(1, lineCount());
  }
}
