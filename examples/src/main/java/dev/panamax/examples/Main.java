package dev.panamax.examples;

import dev.panamax.api.PanamaxException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./panamax}: dispatches to the example applications. */
@Command(
    name = "panamax",
    mixinStandardHelpOptions = true,
    version = "panamax 0.1.0",
    description = "User-space network drivers for Java: example applications.")
public final class Main {
  /**
   * The subcommands by name, in the order the usage lists them. Only the one named on the command
   * line is built: picocli reads each command's options by reflection, and building all ten took
   * about 3.5 s of every app's start in the VM test bed (its classes predate the class-file
   * version the JVM's AOT cache can hold, so they are loaded and run cold each time). A command
   * line that names none (usage, --help, a misspelt name) gets them all.
   */
  static final Map<String, Supplier<Object>> COMMANDS = commands();

  private static Map<String, Supplier<Object>> commands() {
    final Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("demo", DemoCommand::new);
    commands.put("pktgen", PktgenCommand::new);
    commands.put("fwd", FwdCommand::new);
    commands.put("bridge", BridgeCommand::new);
    commands.put("recv", RecvCommand::new);
    commands.put("pcap", PcapCommand::new);
    commands.put("respond", RespondCommand::new);
    commands.put("recover", RecoverCommand::new);
    commands.put("bind", BindCommand::new);
    commands.put("unbind", UnbindCommand::new);
    return Collections.unmodifiableMap(commands);
  }

  /**
   * The library's logger, kept referenced so its level holds: the CLI prints its own one-line
   * messages, so the library's records (device open and close, bindings, resets, fallbacks) are
   * shown only when a logging configuration is given ({@code
   * -Djava.util.logging.config.file=...} in {@code PANAMAX_JAVA_OPTS}).
   */
  private static final java.util.logging.Logger LIBRARY_LOG =
      java.util.logging.Logger.getLogger("dev.panamax");

  private Main() {}

  /**
   * Runs a subcommand.
   *
   * @param args command line
   */
  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.config.file") == null) {
      LIBRARY_LOG.setLevel(java.util.logging.Level.OFF);
    }
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
    final @Nullable Supplier<Object> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
    if (named != null) {
      cli.addSubcommand(named.get());
    } else {
      COMMANDS.values().forEach(command -> cli.addSubcommand(command.get()));
    }
    cli.setParameterExceptionHandler(Main::usageError);
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
    try {
      Backoff.configuredMaxParkNanos(); // a bad setting fails before any device is opened
    } catch (IllegalArgumentException e) {
      cli.getErr().println("panamax: " + e.getMessage());
      cli.getErr().flush();
      return 2;
    }
    return cli.execute(args);
  }

  /**
   * A command line that does not parse (unknown option, missing parameter, not a number): one
   * line naming the problem and where the usage is, exit status 2.
   */
  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    final CommandLine commandLine = ex.getCommandLine();
    final String name = commandLine.getCommandSpec().qualifiedName();
    final PrintWriter err = commandLine.getErr();
    err.println(name + ": " + shortenQuoted(ex.getMessage()) + " (see '" + name + " --help')");
    err.flush();
    return 2;
  }

  /** Cuts every quoted input in a message to the usual echo length and keeps it on one line. */
  static String shortenQuoted(String message) {
    final Matcher m = QUOTED.matcher(message);
    final StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement("'" + OptionChecks.echo(m.group(1)) + "'"));
    }
    m.appendTail(sb);
    return sb.toString().replace('\n', ' ').replace('\r', ' ');
  }

  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
}
