package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.NetworkDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every option of every app is checked before a device is opened. The test holds the devices
 * the command names (both ends of {@code pair:opt}, and the demo's first link end): had the app
 * tried to open one, it would have failed with "already open" instead of the expected line.
 */
class OptionLimitsTest {
  private NetworkDevice end0;
  private NetworkDevice end1;
  private NetworkDevice demo;

  @BeforeEach
  void holdTheDevices() {
    end0 = NetworkDevice.open("pair:opt:0");
    end1 = NetworkDevice.open("pair:opt:1");
    demo = NetworkDevice.open("pair:demo-in:0");
  }

  @AfterEach
  void release() {
    demo.close();
    end1.close();
    end0.close();
  }

  /** Runs the command and checks exit status 1, the one line on stderr and an empty stdout. */
  private static void assertRefused(String expected, String... args) {
    final AppRunner.Result r = AppRunner.run(args);
    assertEquals(expected + "\n", r.err(), String.join(" ", args));
    assertEquals(1, r.code(), r.all());
    assertEquals("", r.out(), "nothing ran");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      pktgen pair:opt:0 --size 1985      | panamax pktgen: --size 1985: must be between 60 and 1984 (the packet capacity of a 2048-byte buffer)
      pktgen pair:opt:0 --size 59        | panamax pktgen: --size 59: must be between 60 and 1984 (the packet capacity of a 2048-byte buffer)
      pktgen pair:opt:0 --batch 0        | panamax pktgen: --batch 0: must be between 1 and 4096 (--buffers)
      pktgen pair:opt:0 --batch 101 --buffers 100 | panamax pktgen: --batch 101: must be between 1 and 100 (--buffers)
      pktgen pair:opt:0 --buffers 2147483647 | panamax pktgen: --buffers 2147483647: must be between 1 and 1048576 (Mempool.MAX_ENTRY_COUNT)
      pktgen pair:opt:0 --buffers 0      | panamax pktgen: --buffers 0: must be between 1 and 1048576 (Mempool.MAX_ENTRY_COUNT)
      pktgen pair:opt:0 --count -1       | panamax pktgen: --count -1: must be at least 0
      pktgen pair:opt:0 --seconds -1     | panamax pktgen: --seconds -1: must be between 0 and 1000000000 (about 31 years)
      pktgen pair:opt:0 --seconds 1000000001 | panamax pktgen: --seconds 1000000001: must be between 0 and 1000000000 (about 31 years)
      pktgen pair:opt:0 --pps -5         | panamax pktgen: --pps -5: must be between 0 and 1000000000
      pktgen pair:opt:0 --pps 1000000001 | panamax pktgen: --pps 1000000001: must be between 0 and 1000000000
      pktgen pair:opt:0 --queues 0       | panamax pktgen: --queues 0: must be between 1 and 16 (the most transmit queues a driver here drives)
      pktgen pair:opt:0 --queues 17      | panamax pktgen: --queues 17: must be between 1 and 16 (the most transmit queues a driver here drives)
      pktgen pair:opt:0 --flows 0        | panamax pktgen: --flows 0: must be between 1 and 65494 (UDP source ports 42 to 65535)
      pktgen pair:opt:0 --flows 65495    | panamax pktgen: --flows 65495: must be between 1 and 65494 (UDP source ports 42 to 65535)
      pktgen pair:opt:0 --dst 52:54:00   | panamax pktgen: --dst: invalid MAC address '52:54:00': expected six two-digit hex octets separated by ':' or '-', e.g. 52:54:00:12:34:56
      fwd pair:opt:0 pair:opt:0          | panamax fwd: DEV2 pair:opt:0: the same device as DEV1; give two different devices
      fwd 03:00.0 0000:03:00.0           | panamax fwd: DEV2 0000:03:00.0: the same device as DEV1; give two different devices
      fwd 0000:0A:00.0 0a:00.0           | panamax fwd: DEV2 0a:00.0: the same device as DEV1; give two different devices
      fwd pair:opt:0 pair:opt:1 --batch 0 | panamax fwd: --batch 0: must be between 1 and 4096 (the device's receive buffers)
      fwd pair:opt:0 pair:opt:1 --batch 4097 | panamax fwd: --batch 4097: must be between 1 and 4096 (the device's receive buffers)
      fwd pair:opt:0 pair:opt:1 --count -1 | panamax fwd: --count -1: must be at least 0
      fwd pair:opt:0 pair:opt:1 --seconds -1 | panamax fwd: --seconds -1: must be between 0 and 1000000000 (about 31 years)
      fwd pair:opt:0 pair:opt:1 --idle -1 | panamax fwd: --idle -1: must be between 0 and 1000000000 (about 31 years)
      recv pair:opt:0 --count -1         | panamax recv: --count -1: must be between 0 and 1073741824 (one bit of memory per expected frame)
      recv pair:opt:0 --count 1073741825 | panamax recv: --count 1073741825: must be between 0 and 1073741824 (one bit of memory per expected frame)
      recv pair:opt:0 --seconds 0        | panamax recv: --seconds 0: must be between 1 and 1000000000 (about 31 years)
      recv pair:opt:0 --idle -1          | panamax recv: --idle -1: must be between 0 and 1000000000 (about 31 years)
      recv pair:opt:0 --batch 0          | panamax recv: --batch 0: must be between 1 and 4096 (the device's receive buffers)
      recv pair:opt:0 --batch 4097       | panamax recv: --batch 4097: must be between 1 and 4096 (the device's receive buffers)
      pcap pair:opt:0 x.pcap -1          | panamax pcap: COUNT -1: must be at least 0
      pcap pair:opt:0 x.pcap --count -1  | panamax pcap: --count -1: must be at least 0
      pcap pair:opt:0 x.pcap --seconds -1 | panamax pcap: --seconds -1: must be between 0 and 1000000000 (about 31 years)
      pcap pair:opt:0 x.pcap --idle -1   | panamax pcap: --idle -1: must be between 0 and 1000000000 (about 31 years)
      pcap pair:opt:0 x.pcap --batch 0   | panamax pcap: --batch 0: must be between 1 and 4096 (the device's receive buffers)
      respond pair:opt:0 10.0.0.1 --count -1 | panamax respond: --count -1: must be at least 0
      respond pair:opt:0 10.0.0.1 --seconds -1 | panamax respond: --seconds -1: must be between 0 and 1000000000 (about 31 years)
      respond pair:opt:0 10.0.0.1 --batch 5000 | panamax respond: --batch 5000: must be between 1 and 4096 (the device's receive buffers)
      demo --seconds 0                   | panamax demo: --seconds 0: must be between 1 and 1000000000 (about 31 years)
      demo --batch 0                     | panamax demo: --batch 0: must be between 1 and 4096 (the demo's pool)
      demo --batch 4097                  | panamax demo: --batch 4097: must be between 1 and 4096 (the demo's pool)
      demo --size 1985                   | panamax demo: --size 1985: must be between 60 and 1984 (the packet capacity of a 2048-byte buffer)
      """)
  void eachOptionIsCheckedBeforeADeviceIsOpened(String command, String expected) {
    assertRefused(expected, command.split(" "));
  }

  @Test
  void aValidCommandLineReachesTheHeldDevice() {
    // What every refusal above would have printed had the app opened its device first.
    final String claimed = ": claim device: already open in this process; one driver instance"
        + " per device: close the first NetworkDevice or use another device";
    assertRefused("panamax pktgen: pair:opt:0" + claimed, "pktgen", "pair:opt:0", "--count", "1");
    assertRefused("panamax demo: pair:demo-in:0" + claimed, "demo", "--seconds", "1");
  }

  @Test
  void pcapChecksItsFileBeforeOpeningTheDevice(@TempDir Path dir) {
    final Path missing = dir.resolve("missing/capture.pcap");
    assertRefused("panamax pcap: " + missing + ": create capture file: no such directory",
        "pcap", "pair:opt:0", missing.toString(), "1");
    assertFalse(Files.exists(missing.getParent()));
    assertRefused("panamax pcap: " + dir + ": create capture file: is a directory",
        "pcap", "pair:opt:0", dir.toString(), "1");
    assertRefused("panamax pcap: FILE a\\u0000b: not a valid path: Nul character not allowed",
        "pcap", "pair:opt:0", "a\u0000b", "1");
  }

  @Test
  void longInputIsCutInTheMessage() {
    final String mac = "5".repeat(10_000);
    assertRefused("panamax pktgen: --dst: invalid MAC address '" + "5".repeat(80) + "…(10000 chars)':"
        + " expected six two-digit hex octets separated by ':' or '-', e.g. 52:54:00:12:34:56",
        "pktgen", "pair:opt:0", "--dst", mac);
    final String ip = "1".repeat(10_000);
    assertRefused("panamax respond: " + "1".repeat(80) + "…(10000 chars): parse IPv4 address:"
        + " expected four decimal octets separated by '.', e.g. 10.11.0.2", "respond", "pair:opt:0", ip);
    final String spec = "pair:" + "p".repeat(10_000) + ":0";
    final AppRunner.Result r = AppRunner.run("pktgen", spec, "--count", "1");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("panamax pktgen: pair:" + "p".repeat(75) + "…(10007 chars): parse"
        + " device spec: malformed virtual device name;"), r.err());
    assertTrue(r.err().length() < 300, r.err());
  }

  @Test
  void aCommandLineThatDoesNotParseIsOneUsageLineWithStatus2() {
    final AppRunner.Result memory = AppRunner.run("pktgen", "pair:opt:0", "--memory", "BOGUS");
    assertEquals(2, memory.code());
    assertEquals("panamax pktgen: Invalid value for option '--memory': expected one of [AUTO,"
        + " HUGEPAGES, VIRTUAL] (case-sensitive) but was 'BOGUS' (see 'panamax pktgen --help')\n",
        memory.err());
    final AppRunner.Result count = AppRunner.run("recv", "pair:opt:0", "--count", "x".repeat(500));
    assertEquals(2, count.code());
    assertEquals("panamax recv: Invalid value for option '--count': '" + "x".repeat(80)
        + "…(500 chars)' is not a long (see 'panamax recv --help')\n", count.err());
    final AppRunner.Result unknown = AppRunner.run("fwd", "pair:opt:0", "pair:opt:1", "--frobnicate");
    assertEquals(2, unknown.code());
    assertEquals("panamax fwd: Unknown option: '--frobnicate' (see 'panamax fwd --help')\n",
        unknown.err());
    assertEquals("", memory.out() + count.out() + unknown.out());
  }

  @Test
  void distinctDevicesComparesCanonicalPciAddressesAndExactVirtualNames() {
    OptionChecks.distinctDevices("DEV1", "pair:x:0", "DEV2", "pair:x:1");
    OptionChecks.distinctDevices("DEV1", "null:a", "DEV2", "null:b");
    OptionChecks.distinctDevices("DEV1", "03:00.0", "DEV2", "03:00.1");
    assertThrows(IllegalArgumentException.class,
        () -> OptionChecks.distinctDevices("DEV1", "null:a", "DEV2", "null:a"));
  }
}
