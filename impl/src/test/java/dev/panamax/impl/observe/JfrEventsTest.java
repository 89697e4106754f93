package dev.panamax.impl.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DeviceStats;
import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.api.PacketOwnershipException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records a run over in-memory devices with JFR and reads the Panamax events back. */
class JfrEventsTest {
  private static final int PACKETS = 5000;

  @TempDir Path dir;

  @Test
  void recordingHasLifecycleStatisticsAndOwnershipEventsMatchingTheCounters() throws Exception {
    final Path file = dir.resolve("run.jfr");
    final DeviceStats txSide;
    final DeviceStats rxSide;
    final String violation;
    // A device reported before the recording starts, so that the 20 ms period applies even when
    // this test runs first in its JVM (observability.md, the known limitation of the period).
    NetworkDevice.open("null:jfr-first").close();
    try (Recording recording = new Recording()) {
      recording.enable("dev.panamax.DeviceStatistics").withPeriod(Duration.ofMillis(20));
      recording.enable("dev.panamax.QueueStatistics");
      recording.enable("dev.panamax.DeviceOpened");
      recording.enable("dev.panamax.DeviceClosed");
      recording.enable("dev.panamax.OwnershipViolation").withStackTrace();
      recording.start();
      try (Arena arena = Arena.ofConfined()) {
        final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 512, "jfr-pool");
        final PacketBatch held = new PacketBatch(8);
        try (NetworkDevice a = NetworkDevice.open("pair:jfr:0");
            NetworkDevice b = NetworkDevice.open("pair:jfr:1")) {
          Traffic.run(pool, a, b, PACKETS, held);
          txSide = a.stats();
          rxSide = b.stats();
          final OwnedPacket p = pool.alloc(64);
          p.free();
          violation = assertThrows(PacketOwnershipException.class, () -> p.setLength(60)).getMessage();
          // Periodic events read the counters now that traffic stopped.
          Thread.sleep(200);
        }
        held.freeAll();
      }
      recording.stop();
      recording.dump(file);
    }
    final List<RecordedEvent> events = RecordingFile.readAllEvents(file);

    final RecordedEvent opened = single(events, "dev.panamax.DeviceOpened", "pair:jfr:0");
    assertEquals("pair", opened.getString("driver"));
    assertEquals("no DMA: an in-memory device", opened.getString("dma"));
    assertEquals(txSide.txPackets(),
        single(events, "dev.panamax.DeviceClosed", "pair:jfr:0").getLong("txPackets"));

    final RecordedEvent sent = last(events, "dev.panamax.DeviceStatistics", "pair:jfr:0");
    assertEquals(PACKETS, sent.getLong("txPackets"));
    assertEquals(txSide.txPackets(), sent.getLong("txPackets"));
    assertEquals(txSide.txBytes(), sent.getLong("txBytes"));
    assertEquals(txSide.txDropped(), sent.getLong("txDropped"));
    final RecordedEvent got = last(events, "dev.panamax.DeviceStatistics", "pair:jfr:1");
    assertEquals(rxSide.rxPackets(), got.getLong("rxPackets"));
    assertEquals(rxSide.rxBytes(), got.getLong("rxBytes"));
    assertEquals(rxSide.rxErrors(), got.getLong("rxErrors"));
    assertTrue(got.getBoolean("linkUp"), "both ends open: link up");

    final RecordedEvent queue = last(events, "dev.panamax.QueueStatistics", "pair:jfr:1");
    assertEquals(0, queue.getInt("queue"));
    assertTrue(queue.getInt("rxRingSize") > 0, "pair ring size reported");
    assertEquals(0, queue.getInt("rxRingUsed"), "everything sent was received");

    final RecordedEvent owned = events.stream()
        .filter(e -> e.getEventType().getName().equals("dev.panamax.OwnershipViolation"))
        .filter(e -> e.getString("pool").equals("jfr-pool"))
        .findFirst().orElseThrow();
    assertTrue(violation.contains("buffer #" + owned.getInt("buffer")), violation);
    assertTrue(owned.getString("consumedBy").contains("free"), owned.getString("consumedBy"));
    assertTrue(owned.getString("operation").contains("setLength"), owned.getString("operation"));
  }

  private static List<RecordedEvent> of(List<RecordedEvent> events, String type, String device) {
    return events.stream()
        .filter(e -> e.getEventType().getName().equals(type))
        .filter(e -> e.getString("device").equals(device))
        .sorted((x, y) -> x.getEndTime().compareTo(y.getEndTime()))
        .toList();
  }

  private static RecordedEvent single(List<RecordedEvent> events, String type, String device) {
    final List<RecordedEvent> found = of(events, type, device);
    assertEquals(1, found.size(), type + " events of " + device);
    return found.get(0);
  }

  private static RecordedEvent last(List<RecordedEvent> events, String type, String device) {
    final List<RecordedEvent> found = of(events, type, device);
    assertTrue(found.size() >= 2, type + " of " + device + ": " + found.size() + " events");
    return found.get(found.size() - 1);
  }

  /**
   * With no recording, opening and closing a device and a refused packet use load no JFR event
   * class and leave JFR uninitialised (its set-up took about 2 s of each program's start in the
   * VM test bed); a recording started later gets the events of what happens from then on. Runs
   * {@link LazyJfr} in a JVM of its own, since this one may have JFR running already.
   */
  @Test
  void eventsLoadNothingOfJfrUntilARecordingStarts() throws Exception {
    final String out = ChildJvm.run(LazyJfr.class, List.of("-Xlog:class+load=info:stdout"),
        dir.resolve("lazy.jfr").toString());
    final int mark = out.indexOf("MARK jfr initialized false, starting a recording");
    assertTrue(mark > 0, out);
    final String before = out.substring(0, mark);
    final String after = out.substring(mark);
    for (String event : List.of("DeviceOpenedEvent", "DeviceClosedEvent", "LinkChangedEvent",
        "DeviceResetEvent", "OwnershipViolationEvent", "DeviceStatisticsEvent",
        "QueueStatisticsEvent")) {
      assertFalse(before.contains("dev.panamax.impl.observe." + event + " "),
          event + " loaded before any recording:\n" + out);
    }
    assertFalse(before.contains("jdk.jfr.internal.MetadataRepository "), out);
    assertTrue(after.contains("dev.panamax.impl.observe.DeviceOpenedEvent "), out);
    final List<String> events = after.lines().filter(l -> l.startsWith("EVENT ")).toList();
    assertEquals(List.of(
        "EVENT dev.panamax.DeviceOpened null:lazy-jfr-after",
        "EVENT dev.panamax.OwnershipViolation null:lazy-jfr-after",
        "EVENT dev.panamax.DeviceClosed null:lazy-jfr-after"), events, out);
  }
}
