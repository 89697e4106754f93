package dev.panamax.examples;

import static dev.panamax.examples.Frames.BROADCAST;
import static dev.panamax.examples.Frames.OTHER_IP;
import static dev.panamax.examples.Frames.OTHER_MAC;
import static dev.panamax.examples.Frames.OUR_IP;
import static dev.panamax.examples.Frames.PEER_IP;
import static dev.panamax.examples.Frames.PEER_MAC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The responder on an in-memory pair: the test is the peer on end 0, the responder on end 1. */
class ResponderTest {
  private static final int POOL = 256;
  private static int links;

  private Arena arena;
  private NetworkDevice peer;
  private NetworkDevice device;
  private Mempool pool;
  private Responder responder;
  private byte[] ourMac;

  @BeforeEach
  void open() {
    open(DeviceOptions.DEFAULT_RING_SIZE);
  }

  private void open(int ringSize) {
    final String name = "respond-" + (++links);
    arena = Arena.ofConfined();
    peer = NetworkDevice.open("pair:" + name + ":0", DeviceOptions.defaults()
        .withDmaSource(DmaSource.virtualMemory()).withRingSize(ringSize));
    device = NetworkDevice.open("pair:" + name + ":1");
    pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, POOL, "peer");
    responder = new Responder(device, Ipv4.parse("10.11.0.2"), 32);
    ourMac = device.macAddress().octets();
  }

  @AfterEach
  void close() {
    device.close();
    peer.close();
    assertEquals(POOL, pool.freeCount(), "every frame went back to the pool");
    arena.close();
  }

  /** Sends the frames from the peer, runs one responder step, returns what came back. */
  private List<byte[]> exchange(byte[]... frames) {
    final PacketBatch out = new PacketBatch(64);
    for (byte[] f : frames) {
      final OwnedPacket p = pool.alloc(f.length);
      p.copyFrom(0, f, 0, f.length);
      out.add(p);
    }
    assertEquals(frames.length, peer.txBatch(0, out));
    assertEquals(frames.length, responder.step());
    final PacketBatch in = new PacketBatch(64);
    final int n = peer.rxBatch(0, in, 64);
    final List<byte[]> replies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      final OwnedPacket p = in.get(i);
      final byte[] bytes = new byte[p.length()];
      p.copyTo(0, bytes, 0, bytes.length);
      replies.add(bytes);
    }
    in.freeAll();
    return replies;
  }

  @Test
  void answersAnArpRequestForItsAddressWithAReplyFromItsMac() {
    final List<byte[]> replies = exchange(Frames.arpRequest(OUR_IP),
        Frames.arp(ourMac, PEER_MAC, 1, PEER_MAC, PEER_IP, new byte[6], OUR_IP));
    final byte[] expected = Frames.arp(PEER_MAC, ourMac, 2, ourMac, OUR_IP, PEER_MAC, PEER_IP);
    assertEquals(2, replies.size());
    assertArrayEquals(expected, replies.get(0), "reply to the broadcast request");
    assertArrayEquals(expected, replies.get(1), "reply to the unicast request");
    assertEquals(2, responder.arpReplies());
    assertEquals(0, responder.echoReplies());
    assertEquals(0, responder.ignored());
  }

  @Test
  void answersEchoRequestsWithEvenOddAndEmptyPayloads() {
    for (int length : new int[] {56, 37, 1, 0, 1465}) {
      final byte[] data = Frames.payload(length);
      final List<byte[]> replies = exchange(Frames.echoRequest(ourMac, OUR_IP, length, data));
      assertEquals(1, replies.size(), "payload " + length);
      final byte[] reply = replies.get(0);
      assertArrayEquals(Frames.echoReply(ourMac, length, data), reply, "payload " + length);
      // And the checksums of what was sent verify on their own.
      assertEquals(0, Frames.checksum(reply, 14, 20), "IPv4 header checksum, payload " + length);
      assertEquals(0, Frames.checksum(reply, 34, 8 + length), "ICMP checksum, payload " + length);
      assertEquals(0, reply[34], "type 0, echo reply");
      assertEquals(64, reply[22], "TTL");
    }
    assertEquals(5, responder.echoReplies());
  }

  @Test
  void keepsEthernetPaddingOutOfTheIcmpChecksum() {
    final byte[] request = Frames.echoRequest(ourMac, OUR_IP, 9, Frames.payload(4));
    final byte[] padded = Arrays.copyOf(request, 60);
    Arrays.fill(padded, request.length, 60, (byte) 0x5A);
    final List<byte[]> replies = exchange(padded);
    assertEquals(1, replies.size());
    final byte[] expected = Arrays.copyOf(Frames.echoReply(ourMac, 9, Frames.payload(4)), 60);
    Arrays.fill(expected, request.length, 60, (byte) 0x5A);
    assertArrayEquals(expected, replies.get(0));
  }

  @Test
  void keepsTheOrderOfRepliesAndCountsEachKind() {
    final byte[] data = Frames.payload(8);
    final List<byte[]> replies = exchange(
        Frames.arpRequest(OTHER_IP),
        Frames.echoRequest(ourMac, OUR_IP, 1, data),
        Frames.arpRequest(OUR_IP),
        Frames.icmp(BROADCAST, PEER_MAC, PEER_IP, OUR_IP, 64, 8, 1, 1, data),
        Frames.echoRequest(ourMac, OUR_IP, 2, data));
    assertEquals(3, replies.size());
    assertArrayEquals(Frames.echoReply(ourMac, 1, data), replies.get(0));
    assertArrayEquals(Frames.arp(PEER_MAC, ourMac, 2, ourMac, OUR_IP, PEER_MAC, PEER_IP),
        replies.get(1));
    assertArrayEquals(Frames.echoReply(ourMac, 2, data), replies.get(2));
    assertEquals(1, responder.arpReplies());
    assertEquals(2, responder.echoReplies());
    assertEquals(2, responder.ignored());
  }

  private static byte[] changed(byte[] frame, Consumer<byte[]> change) {
    final byte[] copy = frame.clone();
    change.accept(copy);
    return copy;
  }

  @Test
  void ignoresFramesForOtherAddressesAndWhatIsNotARequest() {
    final byte[] data = Frames.payload(16);
    final byte[] echo = Frames.echoRequest(ourMac, OUR_IP, 1, data);
    final byte[][] others = {
      Frames.arpRequest(OTHER_IP),
      Frames.arp(OTHER_MAC, PEER_MAC, 1, PEER_MAC, PEER_IP, new byte[6], OUR_IP),
      Frames.arp(ourMac, PEER_MAC, 2, PEER_MAC, PEER_IP, ourMac, OUR_IP),
      Frames.arp(BROADCAST, PEER_MAC, 1, PEER_MAC, OUR_IP, new byte[6], OUR_IP),
      Frames.arp(BROADCAST, PEER_MAC, 1, BROADCAST, PEER_IP, new byte[6], OUR_IP),
      changed(Frames.arpRequest(OUR_IP), f -> f[17] = 0x01), // protocol type 0x0801
      Frames.echoRequest(ourMac, OTHER_IP, 1, data),
      Frames.echoRequest(OTHER_MAC, OUR_IP, 1, data),
      Frames.icmp(ourMac, PEER_MAC, PEER_IP, OUR_IP, 64, 0, 1, 1, data), // an echo reply
      Frames.icmp(ourMac, PEER_MAC, PEER_IP, OUR_IP, 64, 13, 1, 1, data), // timestamp
      Frames.icmp(ourMac, BROADCAST, PEER_IP, OUR_IP, 64, 8, 1, 1, data),
      Frames.icmp(ourMac, PEER_MAC, new byte[] {(byte) 224, 0, 0, 1}, OUR_IP, 64, 8, 1, 1, data),
      changed(echo, f -> f[25] ^= 1), // IPv4 header checksum
      changed(echo, f -> f[45] ^= 1), // payload changed, ICMP checksum now wrong
      changed(echo, f -> f[35] = 1), // code 1
      changed(echo, f -> f[23] = 17), // protocol UDP
      changed(echo, f -> {
        f[12] = (byte) 0x86;
        f[13] = (byte) 0xDD;
      }), // EtherType IPv6
      refreshIpChecksum(changed(echo, f -> f[20] = 0x20)), // more fragments
      refreshIpChecksum(changed(echo, f -> f[21] = 0x10)), // fragment offset
    };
    final List<byte[]> replies = exchange(others);
    assertEquals(0, replies.size());
    assertEquals(others.length, responder.ignored());
    assertEquals(0, responder.arpReplies() + responder.echoReplies());
  }

  private static byte[] refreshIpChecksum(byte[] frame) {
    frame[24] = 0;
    frame[25] = 0;
    final int sum = Frames.checksum(frame, 14, 20);
    frame[24] = (byte) (sum >> 8);
    frame[25] = (byte) sum;
    return frame;
  }

  @Test
  void shortAndMalformedFramesAreIgnoredWithoutAnException() {
    final byte[] arp = Frames.arpRequest(OUR_IP);
    final byte[] echo = Frames.echoRequest(ourMac, OUR_IP, 3, Frames.payload(21));
    final List<byte[]> frames = new ArrayList<>();
    for (int length = 0; length < arp.length; length++) {
      frames.add(Arrays.copyOf(arp, length));
    }
    for (int length = 0; length < echo.length; length++) {
      frames.add(Arrays.copyOf(echo, length));
    }
    frames.add(refreshIpChecksum(changed(echo, f -> f[14] = 0x44))); // IHL 4
    frames.add(refreshIpChecksum(changed(echo, f -> f[14] = 0x4F))); // IHL 15, beyond the frame
    frames.add(refreshIpChecksum(changed(echo, f -> f[14] = 0x65))); // version 6
    frames.add(refreshIpChecksum(changed(echo, f -> f[17] = 27))); // total length < 20 + 8
    frames.add(refreshIpChecksum(changed(echo, f -> f[17] += 1))); // total length > frame
    int ignored = 0;
    for (int from = 0; from < frames.size(); from += 32) {
      final List<byte[]> chunk = frames.subList(from, Math.min(frames.size(), from + 32));
      assertEquals(0, exchange(chunk.toArray(byte[][]::new)).size());
      ignored += chunk.size();
    }
    assertEquals(ignored, responder.ignored());
    assertTrue(ignored > 100);
    // Still answering afterwards.
    assertEquals(1, exchange(echo).size());
  }

  @Test
  void repliesTheTransmitQueueCannotTakeAreFreedAndCounted() {
    close();
    open(4);
    final byte[] request = Frames.arpRequest(OUR_IP);
    assertEquals(4, exchange(request, request, request, request).size());
    // Now leave the 4 replies in the ring towards the peer: the ring is full.
    final PacketBatch out = new PacketBatch(4);
    for (int i = 0; i < 4; i++) {
      final OwnedPacket p = pool.alloc(request.length);
      p.copyFrom(0, request, 0, request.length);
      out.add(p);
    }
    assertEquals(4, peer.txBatch(0, out));
    assertEquals(4, responder.step());
    assertEquals(4, peer.txBatch(0, refill(out, request)), "peer sends 4 more");
    assertEquals(4, responder.step());
    assertEquals(4, responder.txDropped(), "the second 4 replies found the ring full");
    assertEquals(8, responder.arpReplies());
    final PacketBatch in = new PacketBatch(16);
    assertEquals(4, peer.rxBatch(0, in, 16));
    in.freeAll();
  }

  private PacketBatch refill(PacketBatch batch, byte[] frame) {
    while (!batch.isFull()) {
      final OwnedPacket p = pool.alloc(frame.length);
      p.copyFrom(0, frame, 0, frame.length);
      batch.add(p);
    }
    return batch;
  }
}
