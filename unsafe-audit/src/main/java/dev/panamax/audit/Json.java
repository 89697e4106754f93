package dev.panamax.audit;

/** A minimal pretty-printing JSON writer: enough for the report, no dependency. */
final class Json {
  private final StringBuilder out = new StringBuilder();
  private int depth;
  private boolean first = true;

  private void newline() {
    out.append('\n');
    out.append("  ".repeat(depth));
  }

  Json open(char bracket) {
    if (depth > 0 && !out.isEmpty() && out.charAt(out.length() - 1) != ' ') {
      element();
    }
    out.append(bracket);
    depth++;
    first = true;
    return this;
  }

  Json close(char bracket) {
    depth--;
    if (!first) {
      newline();
    }
    out.append(bracket);
    first = false;
    return this;
  }

  /** Starts an array element. */
  Json element() {
    if (!first) {
      out.append(',');
    }
    newline();
    first = false;
    return this;
  }

  /** Starts an object member; the next value, open or raw call is its value. */
  Json field(String name) {
    element();
    out.append(quote(name)).append(": ");
    return this;
  }

  Json value(String s) {
    out.append(quote(s));
    return this;
  }

  Json value(int n) {
    out.append(n);
    return this;
  }

  Json raw(String literal) {
    out.append(literal);
    return this;
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
