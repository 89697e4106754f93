package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class ForwarderTest {
  @Test
  void touchDecrementsTtlAndKeepsTheHeaderChecksumValid() {
    try (Arena arena = Arena.ofConfined()) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 1, "fwd");
      final OwnedPacket p = pool.alloc(60);
      new TestFrame(60, new byte[6], new byte[6]).write(p, 9);
      for (int ttl = 64; ttl > 1; ttl--) {
        assertEquals(ttl, p.getUnsignedByte(22));
        Forwarder.touch(p);
        final byte[] ip = new byte[20];
        p.copyTo(14, ip, 0, 20);
        assertEquals(0, Checksums.internet(ip, 0, 20), "checksum after TTL " + (ttl - 1));
      }
      Forwarder.touch(p);
      assertEquals(1, p.getUnsignedByte(22), "TTL 1 is left alone");
      assertEquals(9, TestFrame.verify(p), "payload untouched");
      p.free();
    }
  }

  @Test
  void forwardsBetweenDevicesAndFreesWhatTheTargetRefuses() {
    try (Arena arena = Arena.ofConfined();
        NetworkDevice in0 = NetworkDevice.open("pair:fwd-in:0");
        NetworkDevice in1 = NetworkDevice.open("pair:fwd-in:1");
        NetworkDevice out0 = NetworkDevice.open("pair:fwd-out:0",
            dev.panamax.api.DeviceOptions.defaults().withRingSize(16));
        NetworkDevice out1 = NetworkDevice.open("pair:fwd-out:1")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 256, "fwd");
      final PacketGenerator gen = new PacketGenerator(in0, pool, 32, 60, 32);
      gen.step();
      final Forwarder fwd = new Forwarder(in1, out0, 32);
      assertEquals(32, fwd.step());
      assertEquals(16, fwd.forwarded());
      assertEquals(16, fwd.dropped(), "the 16-slot ring took 16, the rest were freed");
      final Verifier verifier = new Verifier(out1, 32);
      assertEquals(16, verifier.step());
      assertEquals(16, verifier.valid());
      assertEquals(0, verifier.corrupt());
      assertEquals(256, pool.freeCount());
    }
  }

  @Test
  void holdModeKeepsWhatTheTargetRefusesAndSendsItFirstNextTime() {
    try (Arena arena = Arena.ofConfined();
        NetworkDevice in0 = NetworkDevice.open("pair:hold-in:0");
        NetworkDevice in1 = NetworkDevice.open("pair:hold-in:1");
        NetworkDevice out0 = NetworkDevice.open("pair:hold-out:0",
            dev.panamax.api.DeviceOptions.defaults().withRingSize(16));
        NetworkDevice out1 = NetworkDevice.open("pair:hold-out:1")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 256, "hold");
      final PacketGenerator gen = new PacketGenerator(in0, pool, 32, 60, 64);
      gen.step();
      gen.step();
      final Forwarder fwd = new Forwarder(in1, out0, 32, true);
      assertEquals(32, fwd.step(), "received 32");
      assertEquals(16, fwd.forwarded(), "the 16-slot ring took 16");
      assertEquals(0, fwd.step(), "the ring is still full: nothing sent, nothing received");
      assertEquals(0, fwd.dropped());
      final Verifier verifier = new Verifier(out1, 32);
      assertEquals(16, verifier.step());
      assertEquals(16, fwd.step(), "the held 16 go out first");
      assertEquals(16, verifier.step());
      assertEquals(32, fwd.step(), "then the next 32 arrive");
      assertEquals(48, fwd.forwarded());
      assertEquals(16, fwd.discardHeld(), "at the end what is still held is freed");
      assertEquals(16, fwd.dropped());
      assertEquals(32, verifier.valid());
      assertEquals(0, verifier.gaps(), "frames 0..31 in order");
      verifier.step();
      assertEquals(48, verifier.valid());
      assertEquals(0, verifier.corrupt());
      assertEquals(256, pool.freeCount());
    }
  }

  @Test
  void withoutRewriteEveryFrameArrivesByteForByteAsItWasSent() {
    try (Arena arena = Arena.ofConfined();
        NetworkDevice in0 = NetworkDevice.open("pair:bridge-in:0");
        NetworkDevice in1 = NetworkDevice.open("pair:bridge-in:1");
        NetworkDevice out0 = NetworkDevice.open("pair:bridge-out:0");
        NetworkDevice out1 = NetworkDevice.open("pair:bridge-out:1")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 64, "bridge");
      final byte[][] sent = new byte[8][];
      final PacketBatch batch = new PacketBatch(8);
      for (int i = 0; i < sent.length; i++) {
        final int size = 60 + i * 200;
        final OwnedPacket p = pool.alloc(size);
        new TestFrame(size, new byte[] {2, 0, 0, 0, 0, 1}, new byte[] {2, 0, 0, 0, 0, 2}).write(p, i);
        sent[i] = new byte[size];
        p.copyTo(0, sent[i], 0, size);
        batch.add(p);
      }
      assertEquals(8, in0.txBatch(0, batch));
      final Forwarder bridge = new Forwarder(in1, out0, 32, false, false);
      assertEquals(8, bridge.step());
      assertEquals(8, bridge.forwarded());
      assertEquals(8, out1.rxBatch(0, batch, 8));
      for (int i = 0; i < sent.length; i++) {
        final OwnedPacket p = batch.get(i);
        final byte[] got = new byte[p.length()];
        p.copyTo(0, got, 0, got.length);
        assertArrayEquals(sent[i], got,
            "frame " + i + " (IPv4 TTL " + (sent[i][22] & 0xFF) + ") passed unchanged");
      }
      batch.freeAll();
      assertEquals(64, pool.freeCount());
    }
  }
}
