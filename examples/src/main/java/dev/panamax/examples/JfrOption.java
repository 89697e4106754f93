package dev.panamax.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --jfr FILE}, mixed into an app: records the run with JFR's default settings, including
 * Panamax's device, statistics and ownership events, and writes FILE when the app ends. The same
 * as {@code PANAMAX_JAVA_OPTS=-XX:StartFlightRecording:filename=FILE}; read it with {@code jfr
 * print --events dev.panamax.DeviceStatistics FILE}.
 */
public final class JfrOption {
  @Option(names = "--jfr", paramLabel = "FILE", description = "record the run with JFR into FILE"
      + " (Panamax events: jfr print --events 'dev.panamax.*' FILE)")
  @Nullable Path file;

  /** Creates the option, unset; picocli fills it from the command line. */
  public JfrOption() {}

  /** A recording that writes its file when closed. */
  public interface Session extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Starts the recording if {@code --jfr} was given.
   *
   * @param out where the app prints
   * @param app the app's name
   * @return the session to close at the end of the run (does nothing without {@code --jfr})
   */
  public Session start(PrintStream out, String app) {
    final Path target = file;
    if (target == null) {
      return () -> {};
    }
    final Recording recording;
    try {
      recording = new Recording(Configuration.getConfiguration("default"));
      recording.setDestination(target);
    } catch (IOException e) {
      throw new UncheckedIOException("--jfr " + target + ": " + e.getMessage(), e);
    } catch (ParseException e) {
      throw new IllegalStateException("--jfr: the JDK's default JFR settings do not parse: "
          + e.getMessage(), e);
    }
    recording.start();
    return () -> {
      recording.stop();
      recording.close();
      out.println(app + ": JFR recording written to " + target);
    };
  }
}
