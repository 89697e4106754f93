package dev.panamax.impl.observe;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketOwnershipException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * A program that opens and closes a device and misuses a packet handle while no JFR recording
 * ran, then starts one and does it again, printing a marker line between the two halves. Started
 * by {@link JfrEventsTest} in a JVM of its own with class loading logged to standard output, so
 * the test can tell which classes were loaded before the marker.
 */
public final class LazyJfr {
  private LazyJfr() {}

  /**
   * Runs the program.
   *
   * @param args the file to dump the recording into
   * @throws Exception if a step fails
   */
  public static void main(String[] args) throws Exception {
    work("null:lazy-jfr-before");
    System.out.println("MARK jfr initialized " + FlightRecorder.isInitialized()
        + ", starting a recording");
    System.out.flush();
    final Path file = Path.of(args[0]);
    try (Recording recording = new Recording()) {
      recording.enable("dev.panamax.DeviceOpened");
      recording.enable("dev.panamax.DeviceClosed");
      recording.enable("dev.panamax.OwnershipViolation");
      recording.start();
      work("null:lazy-jfr-after");
      recording.stop();
      recording.dump(file);
    }
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      final String name = event.getEventType().getName();
      System.out.println("EVENT " + name + " "
          + (name.endsWith("OwnershipViolation") ? event.getString("pool") : event.getString("device")));
    }
    Files.delete(file);
  }

  private static void work(String spec) {
    try (Arena arena = Arena.ofConfined();
        NetworkDevice device = NetworkDevice.open(spec)) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 16, spec);
      final OwnedPacket p = pool.alloc(64);
      p.free();
      try {
        p.setLength(60);
        throw new IllegalStateException("use after free was not refused");
      } catch (PacketOwnershipException expected) {
        // reported as an event only while JFR runs
      }
      device.stats();
    }
  }
}
