package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** The entry point builds only the subcommand it runs, and all of them for the usage. */
class MainTest {
  @Test
  void everySubcommandIsKnownByTheNameItsAnnotationGives() {
    assertEquals(List.of("demo", "pktgen", "fwd", "bridge", "recv", "pcap", "respond", "recover",
        "bind", "unbind"), List.copyOf(Main.COMMANDS.keySet()));
    for (Map.Entry<String, java.util.function.Supplier<Object>> e : Main.COMMANDS.entrySet()) {
      final Object command = e.getValue().get();
      assertEquals(e.getKey(), command.getClass().getAnnotation(Command.class).name(),
          command.getClass().getName());
    }
  }

  @Test
  void theUsageListsEverySubcommandAndEachRunsWithItsOwnHelp() {
    final String usage = stdout("--help");
    for (String name : Main.COMMANDS.keySet()) {
      assertTrue(usage.lines().anyMatch(l -> l.trim().startsWith(name + " ")), name + ":\n" + usage);
      final String help = stdout(name, "--help");
      assertTrue(help.startsWith("Usage: panamax " + name + " "), name + ":\n" + help);
    }
  }

  @Test
  void aMisspeltSubcommandIsRefusedWithTheUsualMessage() {
    final PrintStream err = System.err;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    final int code;
    try {
      code = Main.run("pktgenn", "null:");
    } finally {
      System.setErr(err);
    }
    final String message = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, message);
    assertTrue(message.contains("Unmatched arguments from index 0: 'pktgenn', 'null:'"), message);
  }

  private static String stdout(String... args) {
    final PrintStream out = System.out;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.run(args), String.join(" ", args));
    } finally {
      System.setOut(out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
