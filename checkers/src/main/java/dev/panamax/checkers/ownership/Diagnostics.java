package dev.panamax.checkers.ownership;

import com.sun.source.tree.Tree;
import java.util.HashSet;
import java.util.Set;

/**
 * The diagnostics of one body. The dataflow analysis runs the transfer functions many times until
 * a fixpoint; only the final reporting pass over the fixpoint may report, and each finding once.
 * Message keys and texts are in {@code messages.properties}.
 */
final class Diagnostics {

  /** Receives diagnostics; keys are in messages.properties. */
  interface Reporter {
    void report(Tree where, String key, Object... args);
  }

  private final Reporter reporter;
  private final Body body;
  private final Set<String> reported = new HashSet<>();
  private boolean enabled;

  Diagnostics(Reporter reporter, Body body) {
    this.reporter = reporter;
    this.body = body;
  }

  /** From now on reports go out: the fixpoint has been reached. */
  void enable() {
    enabled = true;
  }

  void report(Tree where, String key, Object... args) {
    if (!enabled) {
      return;
    }
    if (reported.add(body.start(where) + "|" + key + "|" + (args.length > 0 ? args[0] : ""))) {
      reporter.report(where, key, args);
    }
  }
}
