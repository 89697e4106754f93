package dev.panamax.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a command-line app in-process, capturing what it prints. */
final class AppRunner {
  private AppRunner() {}

  /** Exit code and output of one run. */
  record Result(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  static synchronized Result run(String... args) {
    final PrintStream oldOut = System.out;
    final PrintStream oldErr = System.err;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      final int code = Main.run(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
