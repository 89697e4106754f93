package dev.panamax.examples;

import dev.panamax.api.PanamaxException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./panamax}: dispatches to the example applications. */
@Command(
    name = "panamax",
    mixinStandardHelpOptions = true,
    version = "panamax 0.1.0",
    description = "User-space network drivers for Java: example applications.",
    subcommands = {DemoCommand.class, PktgenCommand.class, FwdCommand.class, RecvCommand.class,
        PcapCommand.class, RespondCommand.class, RecoverCommand.class})
public final class Main {
  private Main() {}

  /**
   * Runs a subcommand.
   *
   * @param args command line
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs a subcommand and returns its exit code; errors print one clear line.
   *
   * @param args command line
   * @return the exit code
   */
  public static int run(String... args) {
    final CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof PanamaxException || ex instanceof IllegalArgumentException
              || ex instanceof UncheckedIOException) {
            final PrintWriter err = commandLine.getErr();
            err.println("panamax " + commandLine.getCommandName() + ": " + ex.getMessage());
            err.flush();
            return 1;
          }
          throw ex;
        });
    return cli.execute(args);
  }
}
