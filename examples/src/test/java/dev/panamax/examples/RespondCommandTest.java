package dev.panamax.examples;

import static dev.panamax.examples.Frames.OTHER_IP;
import static dev.panamax.examples.Frames.OUR_IP;
import static dev.panamax.examples.Frames.PEER_IP;
import static dev.panamax.examples.Frames.PEER_MAC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DmaSource;
import dev.panamax.api.MacAddress;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** {@code panamax respond} on in-memory pairs, run in-process. */
class RespondCommandTest {
  private static void send(NetworkDevice peer, Mempool pool, byte[]... frames) {
    final PacketBatch out = new PacketBatch(frames.length);
    for (byte[] f : frames) {
      final OwnedPacket p = pool.alloc(f.length);
      p.copyFrom(0, f, 0, f.length);
      out.add(p);
    }
    assertEquals(frames.length, peer.txBatch(0, out));
  }

  private static byte[] receive(PacketBatch in, int index) {
    final OwnedPacket p = in.get(index);
    final byte[] bytes = new byte[p.length()];
    p.copyTo(0, bytes, 0, bytes.length);
    return bytes;
  }

  @Test
  void answersArpAndEchoRequestsUntilCountRepliesAndPrintsTheCounters() {
    try (Arena arena = Arena.ofConfined();
        NetworkDevice peer = NetworkDevice.open("pair:respond-cmd:0")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 64, "peer");
      // The responder's MAC is that of the pair's end 1, derived from the link's name.
      final byte[] mac;
      try (NetworkDevice end1 = NetworkDevice.open("pair:respond-cmd:1")) {
        mac = end1.macAddress().octets();
      }
      final byte[] data = Frames.payload(33);
      send(peer, pool,
          Frames.arpRequest(OTHER_IP),
          Frames.arpRequest(OUR_IP),
          Frames.echoRequest(mac, OUR_IP, 1, data),
          Frames.echoRequest(mac, OUR_IP, 2, data),
          new byte[7],
          Frames.echoRequest(mac, OUR_IP, 3, data));
      final AppRunner.Result r =
          AppRunner.run("respond", "pair:respond-cmd:1", "10.11.0.2", "--count", "4");
      assertEquals(0, r.code(), r.all());
      assertTrue(r.out().startsWith("respond on pair:respond-cmd:1 (pair, " + MacAddress.of(mac)
          + ", link up"), r.out());
      assertTrue(r.out().contains(") as 10.11.0.2\n"), r.out());
      assertTrue(r.out().contains("respond summary: arp replies 1, echo replies 3, ignored 2,"
          + " tx dropped 0; device counters: rx 6 packets, tx 4 packets"), r.out());
      final PacketBatch in = new PacketBatch(16);
      assertEquals(4, peer.rxBatch(0, in, 16));
      assertArrayEquals(Frames.arp(PEER_MAC, mac, 2, mac, OUR_IP, PEER_MAC, PEER_IP), receive(in, 0));
      for (int seq = 1; seq <= 3; seq++) {
        assertArrayEquals(Frames.echoReply(mac, seq, data), receive(in, seq), "echo " + seq);
      }
      in.freeAll();
      assertEquals(64, pool.freeCount());
    }
  }

  @Test
  void fewerRepliesThanCountEndsAtTheDeadlineWithStatus3() {
    try (Arena arena = Arena.ofConfined();
        NetworkDevice peer = NetworkDevice.open("pair:respond-short:0")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 8, "peer");
      send(peer, pool, Frames.arpRequest(OUR_IP));
      final AppRunner.Result r = AppRunner.run("respond", "pair:respond-short:1", "10.11.0.2",
          "--count", "5", "--seconds", "1", "--backoff");
      assertEquals(3, r.code(), r.all());
      assertTrue(r.out().contains("respond summary: arp replies 1, echo replies 0, ignored 0"),
          r.out());
      final PacketBatch in = new PacketBatch(4);
      assertEquals(1, peer.rxBatch(0, in, 4));
      in.freeAll();
    }
  }

  @Test
  void aBadAddressGivesOneLineNamingItBeforeTheDeviceIsOpened() {
    for (String[] bad : new String[][] {
      {"10.11.0.256", "octet 256 is above 255"},
      {"10.11.0", "expected four decimal octets separated by '.'"},
      {"gateway.example", "expected four decimal octets separated by '.'"},
      {"10.11.0.-2", "'-2' is not a decimal octet"},
      {"10.11..2", "'' is not a decimal octet"},
    }) {
      final AppRunner.Result r = AppRunner.run("respond", "pair:respond-bad:1", bad[0]);
      assertEquals(1, r.code(), r.all());
      assertEquals("panamax respond: " + bad[0] + ": parse IPv4 address: " + bad[1]
          + ", e.g. 10.11.0.2\n", r.err());
      assertEquals("", r.out(), "nothing opened");
    }
  }

  @Test
  void ipv4AddressesParseAndFormat() {
    assertEquals(0x0A0B0002, Ipv4.parse("10.11.0.2"));
    assertEquals(0xFFFFFFFF, Ipv4.parse("255.255.255.255"));
    assertEquals("10.11.0.2", Ipv4.format(0x0A0B0002));
    assertEquals("255.255.255.255", Ipv4.format(-1));
    assertEquals("0.0.0.0", Ipv4.format(0));
  }
}
