package dev.panamax.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The shell blocks of README.md and docs/*.md: fenced blocks with no language or with sh, bash
 * or shell. A block right after a line {@code <!-- run-in-vm: NICS -->} is meant to be run as it
 * stands in a guest with those NICs.
 */
final class DocBlocks {
  private DocBlocks() {}

  /** One shell block: its file, first line number, text, and the NICs of its run-in-vm marker. */
  record Block(Path file, int line, String text, String vmNics) {
    boolean runInVm() {
      return !vmNics.isEmpty();
    }

    /**
     * The block's {@code ./panamax} and {@code testbed/vm.sh} commands, continuation lines joined,
     * comments dropped.
     */
    List<String> commands() {
      final List<String> out = new ArrayList<>();
      final StringBuilder joined = new StringBuilder();
      for (String raw : text.split("\n", -1)) {
        final String line = raw.strip();
        if (line.endsWith("\\")) {
          joined.append(line, 0, line.length() - 1).append(' ');
          continue;
        }
        joined.append(line);
        final String command = stripComment(joined.toString()).replaceAll("\\s+", " ").strip();
        joined.setLength(0);
        if (command.contains("./panamax ") || command.endsWith("./panamax")
            || command.startsWith("testbed/vm.sh ")) {
          out.add(command);
        }
      }
      return out;
    }

    private static String stripComment(String line) {
      final int hash = line.indexOf(" #");
      return hash < 0 ? line : line.substring(0, hash);
    }
  }

  /** README.md and every docs/*.md except the generated unsafe report. */
  static List<Path> files(Path root) throws IOException {
    final List<Path> files = new ArrayList<>();
    files.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md"))
          .filter(p -> !p.getFileName().toString().equals("unsafe-report.md"))
          .sorted()
          .forEach(files::add);
    }
    return files;
  }

  static List<Block> shellBlocks(Path root) throws IOException {
    final List<Block> blocks = new ArrayList<>();
    for (Path file : files(root)) {
      final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      String marker = "";
      for (int i = 0; i < lines.size(); i++) {
        final String line = lines.get(i);
        final String trimmed = line.strip();
        if (trimmed.startsWith("<!-- run-in-vm:")) {
          marker = trimmed.substring("<!-- run-in-vm:".length()).replace("-->", "").strip();
          continue;
        }
        if (trimmed.startsWith("```")) {
          final String info = trimmed.substring(3).strip().toLowerCase(Locale.ROOT);
          final int start = i + 1;
          int end = start;
          while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
            end++;
          }
          if (info.isEmpty() || info.equals("sh") || info.equals("bash") || info.equals("shell")) {
            blocks.add(new Block(root.relativize(file), start + 1,
                String.join("\n", lines.subList(start, end)), marker));
          }
          marker = "";
          i = end;
          continue;
        }
        if (!trimmed.isEmpty()) {
          marker = "";
        }
      }
    }
    return blocks;
  }
}
