package dev.panamax.impl.ixgbe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DeviceStats;
import dev.panamax.api.LinkStatus;
import dev.panamax.api.MacAddress;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.api.PacketOwnershipException;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.intel.Hardware;
import dev.panamax.impl.intel.HardwareCounters;
import dev.panamax.impl.mempool.MempoolImpl;
import java.lang.foreign.Arena;
import dev.panamax.api.Rss;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real ixgbe driver code (init, rings, stats, close) against {@link Ixgbe82599Model}, with
 * hugepage DMA memory on the host: nothing here touches a PCI device.
 */
class IxgbeModelTest {
  private static final long TIMEOUT_NS = 10_000_000_000L;
  private static @Nullable HugepageFixture huge;

  private Arena arena = Arena.ofShared();
  private @Nullable Ixgbe82599Model model;
  private @Nullable Ixgbe device;
  private final AtomicInteger busMaster = new AtomicInteger();
  private final AtomicInteger detached = new AtomicInteger();
  private @Nullable MempoolImpl rxPool;
  private @Nullable MempoolImpl txPool;

  @BeforeAll
  static void hugepages() throws Exception {
    huge = new HugepageFixture(8);
  }

  @AfterAll
  static void releaseHugepages() throws Exception {
    if (huge != null) {
      huge.close();
    }
  }

  @BeforeEach
  void setUp() {
    arena = Arena.ofShared();
    model = new Ixgbe82599Model(arena).startThread();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (device != null) {
      device.close();
    }
    model().close();
    arena.close();
  }

  private Ixgbe82599Model model() {
    final Ixgbe82599Model m = model;
    assertTrue(m != null);
    return m;
  }

  private DmaMemory hugepages(long size) {
    final HugepageFixture h = huge;
    assertTrue(h != null);
    final DmaMemory memory = DmaMemory.allocateHugepages(arena, size, h.mount());
    model().attach(memory);
    return memory;
  }

  private Ixgbe open(int ringSize, int rxBuffers) {
    final DmaMemory rings = hugepages(Hardware.RING_MEMORY);
    final MempoolImpl rx = new MempoolImpl("model rx", hugepages((long) Hardware.RX_ENTRY_SIZE * rxBuffers),
        Hardware.RX_ENTRY_SIZE, rxBuffers);
    rxPool = rx;
    txPool = new MempoolImpl("model tx", hugepages(2048L * 256), 2048, 256);
    final Hardware hardware = new Hardware("model", model().registers(), rings, rx,
        busMaster::incrementAndGet, detached::incrementAndGet);
    final Ixgbe d = Ixgbe.start(hardware, DeviceOptions.defaults().withRingSize(ringSize));
    device = d;
    // The model cannot hide the driver's own write of RXDCTL/TXDCTL.ENABLE (see its class
    // comment): the driver's poll may return before the model has latched the queue, which it
    // does a few steps later. Every test starts from a device whose queues are on.
    final Ixgbe82599Model m = model();
    await("the model to latch both queues", () -> m.rxEnabled() && m.txEnabled());
    return d;
  }

  /** Opens the driver with {@code rxQueues} receive pools of 64 buffers and {@code txQueues}. */
  private Ixgbe openQueues(int rxQueues, int txQueues, Rss rss) {
    final DmaMemory rings = hugepages(Hardware.RING_MEMORY);
    final List<MempoolImpl> pools = new ArrayList<>();
    for (int q = 0; q < rxQueues; q++) {
      pools.add(new MempoolImpl("model rx" + q, hugepages((long) Hardware.RX_ENTRY_SIZE * 64),
          Hardware.RX_ENTRY_SIZE, 64));
    }
    txPool = new MempoolImpl("model tx", hugepages(2048L * 256), 2048, 256);
    final Hardware hardware = new Hardware("model", model().registers(), rings, pools,
        busMaster::incrementAndGet, detached::incrementAndGet, () -> null);
    final Ixgbe d = Ixgbe.start(hardware,
        DeviceOptions.defaults().withRingSize(64).withQueues(rxQueues, txQueues).withRss(rss));
    device = d;
    final Ixgbe82599Model m = model();
    await("the model to latch every queue", () -> {
      for (int q = 0; q < rxQueues; q++) {
        if (!m.rxEnabled(q)) {
          return false;
        }
      }
      for (int q = 0; q < txQueues; q++) {
        if (!m.txEnabled(q)) {
          return false;
        }
      }
      return true;
    });
    return d;
  }

  /** An IPv4/UDP frame to us from 10.0.0.1:{@code sourcePort} to 10.0.0.2:1337. */
  private static byte[] udpFrame(int sourcePort, int seq) {
    final byte[] f = new byte[64];
    for (int i = 0; i < 6; i++) {
      f[i] = (byte) (ours() >>> (8 * i));
      f[6 + i] = (byte) (0x02 + i);
    }
    f[12] = 0x08;
    f[14] = 0x45;
    f[16] = 0;
    f[17] = 50;
    f[22] = 64;
    f[23] = 17;
    f[26] = 10;
    f[29] = 1;
    f[30] = 10;
    f[33] = 2;
    f[34] = (byte) (sourcePort >>> 8);
    f[35] = (byte) sourcePort;
    f[36] = (byte) (1337 >>> 8);
    f[37] = (byte) 1337;
    f[42] = (byte) seq;
    f[43] = (byte) (seq >>> 8);
    return f;
  }

  private static void await(String what, BooleanSupplier condition) {
    final long deadline = System.nanoTime() + TIMEOUT_NS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
    }
  }

  /** A frame to {@code dst} whose payload encodes {@code seq}. */
  private static byte[] frame(long dst, int seq, int length) {
    final byte[] f = new byte[length];
    for (int i = 0; i < 6; i++) {
      f[i] = (byte) (dst >>> (8 * i));
      f[6 + i] = (byte) (0x02 + i);
    }
    f[12] = (byte) 0x88;
    f[13] = (byte) 0xB5;
    for (int i = 14; i < length; i++) {
      f[i] = (byte) (seq * 31 + i);
    }
    f[14] = (byte) seq;
    f[15] = (byte) (seq >>> 8);
    return f;
  }

  private static long ours() {
    return Ixgbe82599Model.MAC;
  }

  private static byte[] bytes(OwnedPacket p) {
    final byte[] b = new byte[p.length()];
    p.copyTo(0, b, 0, b.length);
    return b;
  }

  /** Injects frames and receives until {@code count} arrived; returns them, freeing the packets. */
  private static List<byte[]> receive(Ixgbe82599Model m, Ixgbe d, int count) {
    final PacketBatch batch = new PacketBatch(32);
    final java.util.ArrayList<byte[]> got = new java.util.ArrayList<>();
    final long deadline = System.nanoTime() + TIMEOUT_NS;
    while (got.size() < count) {
      d.rxBatch(0, batch, 32);
      while (!batch.isEmpty()) {
        final OwnedPacket p = batch.take();
        got.add(bytes(p));
        p.free();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("received " + got.size() + " of " + count);
      }
    }
    return got;
  }

  private void send(Ixgbe d, List<byte[]> frames) {
    final MempoolImpl pool = txPool;
    assertTrue(pool != null);
    final PacketBatch batch = new PacketBatch(32);
    int next = 0;
    final long deadline = System.nanoTime() + TIMEOUT_NS;
    while (next < frames.size() || !batch.isEmpty()) {
      while (next < frames.size() && !batch.isFull()) {
        final OwnedPacket p = pool.tryAlloc(frames.get(next).length);
        if (p == null) {
          break;
        }
        p.copyFrom(0, frames.get(next), 0, frames.get(next).length);
        batch.add(p);
        next++;
      }
      d.txBatch(0, batch);
      if (System.nanoTime() > deadline) {
        throw new AssertionError("sent " + next + " of " + frames.size());
      }
    }
  }

  // ---- tests ----

  /**
   * RSS: the driver programs key, table and MRQC so that the model (which hashes with the
   * registers' contents) puts each UDP flow on the queue the software hash predicts, every frame
   * of a flow on one queue, none lost; each queue refills from its own pool; per-queue
   * counters match.
   */
  @Test
  void rssPutsEachFlowOnThePredictedQueue() throws Exception {
    for (Rss rss : List.of(Rss.spread(4), Rss.symmetric(4))) {
      final Ixgbe d = openQueues(4, 2, rss);
      final Ixgbe82599Model m = model();
      assertEquals(4, d.rxQueueCount());
      assertEquals(2, d.txQueueCount());
      final int flows = 16;
      final int perFlow = 8;
      final int[] expected = new int[4];
      for (int seq = 0; seq < flows * perFlow; seq++) {
        final int port = 1000 + seq % flows;
        m.inject(udpFrame(port, seq));
        expected[rss.queueOf(rss.hashIpv4(0x0a000001, 0x0a000002, port, 1337))]++;
      }
      assertTrue(expected[0] > 0 && expected[1] + expected[2] + expected[3] > 0,
          "the flows use more than one queue: " + java.util.Arrays.toString(expected));
      final PacketBatch batch = new PacketBatch(64);
      final int[] got = new int[4];
      final long deadline = System.nanoTime() + TIMEOUT_NS;
      while ((got[0] + got[1] + got[2] + got[3] < flows * perFlow) && System.nanoTime() < deadline) {
        for (int q = 0; q < 4; q++) {
          d.rxBatch(q, batch, 64);
          while (!batch.isEmpty()) {
            final OwnedPacket p = batch.take();
            final int port = p.getUnsignedShort(34);
            final int predicted = rss.queueOf(rss.hashIpv4(0x0a000001, 0x0a000002, port, 1337));
            assertEquals(predicted, q, "flow from port " + port + " with " + rss);
            got[q]++;
            p.free();
          }
        }
      }
      assertArrayEquals(expected, got, "frames per queue with " + rss);
      for (int q = 0; q < 4; q++) {
        assertEquals(expected[q], m.rxQueueFrames(q));
        assertEquals(expected[q], d.queueStats(q).rxPackets());
      }
      // Transmit on queue 1: the model fetches it from that queue's ring.
      final PacketBatch out = new PacketBatch(4);
      final MempoolImpl tp = txPool;
      assertTrue(tp != null);
      tp.allocBatch(out, 4, 60);
      assertEquals(4, d.txBatch(1, out));
      await("the model to send queue 1's frames", () -> m.transmitted().size() == 4);
      assertEquals(4, d.queueStats(1).txPackets());
      assertEquals(0, d.queueStats(0).txPackets());
      assertTrue(m.violations().isEmpty(), m.violations().toString());
      d.close();
      device = null;
      tearDown();
      setUp();
    }
  }

  @Test
  void initSequenceBringsTheDeviceUpAsTheDatasheetSays() {
    final Ixgbe82599Model m = model();
    final Ixgbe d = open(512, 1024);
    assertEquals(List.of(), m.violations());
    assertEquals(1, m.resets(), "one global reset");
    assertEquals(1, busMaster.get());
    assertEquals(MacAddress.of(new byte[] {0x52, 0x54, 0x00, 0x12, 0x34, 0x56}), d.macAddress());
    assertEquals(new LinkStatus(true, 10_000), d.linkStatus());
    assertTrue(m.rxEnabled() && m.txEnabled());
    assertEquals(0x7FFF_FFFF, m.register(Ixgbe.EIMC), "interrupts masked");
    final int hlreg0 = m.register(Ixgbe.HLREG0);
    assertEquals(Ixgbe.HLREG0_RXCRCSTRP | Ixgbe.HLREG0_TXCRCEN | Ixgbe.HLREG0_TXPADEN,
        hlreg0 & (Ixgbe.HLREG0_RXCRCSTRP | Ixgbe.HLREG0_TXCRCEN | Ixgbe.HLREG0_TXPADEN));
    assertTrue((m.register(Ixgbe.RDRXCTL) & Ixgbe.RDRXCTL_CRCSTRIP) != 0);
    assertEquals(Ixgbe.FCTRL_BAM, m.register(Ixgbe.FCTRL) & (Ixgbe.FCTRL_BAM | Ixgbe.FCTRL_UPE | Ixgbe.FCTRL_MPE));
    assertTrue((m.register(Ixgbe.RXCTRL) & Ixgbe.RXCTRL_RXEN) != 0);
    assertTrue((m.register(Ixgbe.DMATXCTL) & Ixgbe.DMATXCTL_TE) != 0);
    assertEquals(0, m.register(Ixgbe.RTTDCS) & Ixgbe.RTTDCS_ARBDIS, "arbiter re-enabled");
    assertEquals(511, m.register(Ixgbe.RDBAL0 + 0x18), "RDT: all but one descriptor posted");
    assertEquals(511, d.rxRing().posted());
  }

  @Test
  void receivesInjectedFramesIntact() {
    final Ixgbe82599Model m = model();
    final Ixgbe d = open(512, 1024);
    final java.util.ArrayList<byte[]> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sent.add(frame(ours(), i, 60 + (i * 7) % 1400));
      m.inject(sent.get(i));
    }
    final List<byte[]> got = receive(m, d, 200);
    for (int i = 0; i < 200; i++) {
      assertArrayEquals(sent.get(i), got.get(i), "frame " + i);
    }
    final DeviceStats stats = d.stats();
    assertEquals(200, stats.rxPackets());
    assertEquals(sent.stream().mapToLong(f -> f.length).sum(), stats.rxBytes());
    assertEquals(List.of(), m.violations());
  }

  /**
   * Receiving one frame per call refills its descriptor at once but writes RDT only when 32
   * refilled descriptors wait: 32 register writes fewer per 32 frames, and every frame arrives.
   */
  @Test
  void receiveWritesRdtOncePer32RefilledDescriptors() {
    final Ixgbe82599Model m = model();
    final Ixgbe d = open(512, 1024);
    final int rdt = Ixgbe.RDBAL0 + 0x18;
    assertEquals(511, m.register(rdt));
    assertEquals(32, d.rxRing().freeThreshold());
    final PacketBatch one = new PacketBatch(1);
    for (int round = 1; round <= 3; round++) {
      for (int i = 1; i <= 32; i++) {
        final byte[] sent = frame(ours(), round * 100 + i, 64);
        m.inject(sent);
        await("frame " + i, () -> {
          d.rxBatch(0, one, 1);
          return one.size() == 1;
        });
        final OwnedPacket p = one.take();
        assertArrayEquals(sent, bytes(p));
        p.free();
        assertEquals(511, d.rxRing().filled(), "the freed descriptor is refilled at once");
        if (i < 32) {
          assertEquals((511 + 32 * (round - 1)) & 511, m.register(rdt),
              "RDT unchanged with " + i + " refilled descriptors waiting");
          assertEquals(511 - i, d.rxRing().posted());
        }
      }
      assertEquals((511 + 32 * round) & 511, m.register(rdt), "one RDT write per 32");
      assertEquals(511, d.rxRing().posted());
    }
    assertEquals(96, d.stats().rxPackets());
    assertEquals(List.of(), m.violations());
  }

  @Test
  void transmitsFramesIntactAndCleansCompletedDescriptors() {
    final Ixgbe82599Model m = model();
    final Ixgbe d = open(512, 1024);
    final java.util.ArrayList<byte[]> frames = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      frames.add(frame(0x0000_3300_0000_5452L, i, 60 + (i * 13) % 1450));
    }
    send(d, frames);
    await("all frames on the wire", () -> m.transmitted().size() == 300);
    final List<byte[]> wire = m.transmitted();
    for (int i = 0; i < 300; i++) {
      assertArrayEquals(frames.get(i), wire.get(i), "frame " + i);
    }
    // Cleaning: the next txBatch takes back every buffer the model marked done.
    d.txBatch(0, new PacketBatch(1));
    final MempoolImpl pool = txPool;
    assertTrue(pool != null);
    assertEquals(0, d.txRing().inFlight());
    assertEquals(pool.capacity(), pool.freeCount(), "all tx buffers back in their pool");
    assertEquals(300, d.stats().txPackets());
    assertEquals(List.of(), m.violations());
  }

  /**
   * Status write-backs: RS on every 32nd descriptor of the ring and on each batch's last, so
   * the device writes DD back once per 32 frames; the buffers of a short last batch still come
   * back, and a later batch cleans exactly what the device reported.
   */
  @Test
  void transmitAsksForStatusEvery32DescriptorsAndAtTheEndOfEachBatch() {
    final Ixgbe82599Model m = model();
    final Ixgbe d = open(512, 1024);
    final MempoolImpl pool = txPool;
    assertTrue(pool != null);
    int seq = 0;
    for (int size : new int[] {64, 36, 1}) {
      final PacketBatch batch = new PacketBatch(size);
      for (int i = 0; i < size; i++) {
        final byte[] f = frame(0x0000_3300_0000_5452L, seq++, 60);
        final OwnedPacket p = pool.alloc(f.length);
        p.copyFrom(0, f, 0, f.length);
        batch.add(p);
      }
      assertEquals(size, d.txBatch(0, batch));
    }
    await("101 frames on the wire", () -> m.transmitted().size() == 101);
    // Batch 0-63: 31 and 63 (its last); batch 64-99: 95, then 99 (its last); batch 100: 100.
    assertEquals(List.of(31, 63, 95, 99, 100), m.statusRequests());
    d.txBatch(0, new PacketBatch(1));
    assertEquals(0, d.txRing().inFlight());
    assertEquals(pool.capacity(), pool.freeCount(), "every tx buffer back once");
    assertEquals(List.of(), m.violations());
  }

  @Test
  void transmitStoppedByAFreedPacketQueuesAndCountsThoseBeforeItAndKeepsTheRest() {
    final Ixgbe82599Model m = model();
    final Ixgbe d = open(512, 1024);
    final MempoolImpl pool = txPool;
    assertTrue(pool != null);
    final PacketBatch batch = new PacketBatch(8);
    for (int i = 0; i < 6; i++) {
      final byte[] f = frame(0x0000_3300_0000_5452L, i, 60);
      final OwnedPacket p = pool.alloc(f.length);
      p.copyFrom(0, f, 0, f.length);
      batch.add(p);
    }
    final int dead = batch.get(3).bufferIndex();
    batch.get(3).free();
    final PacketOwnershipException e =
        assertThrows(PacketOwnershipException.class, () -> d.txBatch(0, batch));
    assertTrue(e.getMessage().contains("buffer #" + dead + " "), e.getMessage());
    assertEquals(3, d.stats().txPackets(), "queued before the fault and counted");
    assertEquals(3, batch.size());
    assertEquals(dead, batch.get(0).bufferIndex(), "the refused packet stays at the front");
    await("the three frames on the wire", () -> m.transmitted().size() == 3);
    assertThrows(PacketOwnershipException.class, batch::freeAll);
    d.txBatch(0, batch); // cleans the completed descriptors
    assertEquals(pool.capacity(), pool.freeCount(), "every tx buffer back once");
    assertEquals("device model: rxBatch max -1: must be at least 0",
        assertThrows(IllegalArgumentException.class, () -> d.rxBatch(0, batch, -1)).getMessage());
    assertEquals(List.of(), m.violations());
  }

  @Test
  void ringsWrapAroundManyTimes() {
    final Ixgbe82599Model m = model();
    final Ixgbe d = open(16, 64);
    final java.util.ArrayList<byte[]> frames = new java.util.ArrayList<>();
    for (int round = 0; round < 25; round++) {
      final java.util.ArrayList<byte[]> burst = new java.util.ArrayList<>();
      for (int i = 0; i < 12; i++) {
        burst.add(frame(ours(), round * 12 + i, 64 + i));
        m.inject(burst.get(i));
      }
      final List<byte[]> got = receive(m, d, 12);
      for (int i = 0; i < 12; i++) {
        assertArrayEquals(burst.get(i), got.get(i), "round " + round + " frame " + i);
      }
      frames.addAll(burst);
      send(d, burst);
    }
    await("all frames on the wire", () -> m.transmitted().size() == 300);
    assertEquals(300, d.stats().rxPackets());
    assertEquals(300, d.stats().txPackets());
    for (int i = 0; i < 300; i++) {
      assertArrayEquals(frames.get(i), m.transmitted().get(i));
    }
    assertEquals(List.of(), m.violations());
  }

  @Test
  void emptyRxPoolMakesTheDeviceDropAndFreeingResumesReception() {
    final Ixgbe82599Model m = model();
    final Ixgbe d = open(64, 40);
    final MempoolImpl pool = rxPool;
    assertTrue(pool != null);
    assertEquals(40, d.rxRing().posted(), "the pool, not the ring, limits what is posted");
    // The application keeps every received packet: the pool runs dry.
    final PacketBatch held = new PacketBatch(64);
    for (int i = 0; i < 40; i++) {
      m.inject(frame(ours(), i, 100));
    }
    await("40 frames", () -> {
      d.rxBatch(0, held, 64);
      return held.size() == 40;
    });
    assertEquals(0, pool.freeCount());
    assertEquals(0, d.rxRing().posted());
    // No descriptor left: the device misses these.
    for (int i = 0; i < 10; i++) {
      m.inject(frame(ours(), 100 + i, 100));
    }
    await("model drained", () -> m.pendingRx() == 0);
    assertEquals(0, d.rxBatch(0, new PacketBatch(32), 32));
    final HardwareCounters hw = d.hardwareCounters();
    m.clearCountersAfterRead();
    assertEquals(10, hw.missed());
    assertEquals(10, d.stats().rxDropped());
    // Freeing the packets lets the next rxBatch post buffers again, and frames flow.
    held.freeAll();
    d.rxBatch(0, new PacketBatch(32), 32);
    assertEquals(40, d.rxRing().posted());
    final java.util.ArrayList<byte[]> later = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      later.add(frame(ours(), 200 + i, 100));
      m.inject(later.get(i));
    }
    final List<byte[]> got = receive(m, d, 20);
    for (int i = 0; i < 20; i++) {
      assertArrayEquals(later.get(i), got.get(i));
    }
    assertEquals(List.of(), m.violations());
  }

  @Test
  void statisticsRegistersAccumulateAcrossClearOnReadAndMatchSoftwareCounts() {
    final Ixgbe82599Model m = model();
    final Ixgbe d = open(128, 256);
    long rxBytes = 0;
    long txBytes = 0;
    for (int round = 0; round < 3; round++) {
      final java.util.ArrayList<byte[]> burst = new java.util.ArrayList<>();
      for (int i = 0; i < 50; i++) {
        final byte[] f = frame(ours(), i, 60 + i);
        rxBytes += f.length;
        m.inject(f);
        burst.add(frame(0x0000_4400_0000_5452L, i, 70 + i));
        txBytes += 70 + i;
      }
      receive(m, d, 50);
      send(d, burst);
      final int expected = 50 * (round + 1);
      await("tx", () -> m.transmitted().size() == expected);
      d.hardwareCounters();
      m.clearCountersAfterRead();
    }
    final HardwareCounters hw = d.hardwareCounters();
    assertEquals(150, hw.rxPackets());
    assertEquals(150, hw.txPackets());
    // The octet counters include the 4-byte FCS; software counts frames without it.
    assertEquals(rxBytes + 4 * 150, hw.rxBytes());
    assertEquals(txBytes + 4 * 150, hw.txBytes());
    final DeviceStats sw = d.stats();
    assertEquals(hw.rxPackets(), sw.rxPackets());
    assertEquals(hw.txPackets(), sw.txPackets());
    assertEquals(hw.rxBytes() - 4 * hw.rxPackets(), sw.rxBytes());
    assertEquals(hw.txBytes() - 4 * hw.txPackets(), sw.txBytes());
  }

  @Test
  void promiscuousModeDecidesWhetherForeignFramesArrive() {
    final Ixgbe82599Model m = model();
    final Ixgbe d = open(64, 128);
    final long foreign = 0x0000_9900_0000_5452L;
    m.inject(frame(foreign, 1, 80));
    m.inject(frame(ours(), 2, 80));
    final List<byte[]> first = receive(m, d, 1);
    assertEquals(2, first.get(0)[14]);
    await("model drained", () -> m.pendingRx() == 0);
    assertEquals(0, d.rxBatch(0, new PacketBatch(8), 8), "foreign frame filtered");
    d.setPromiscuous(true);
    assertTrue(d.isPromiscuous());
    m.inject(frame(foreign, 3, 80));
    assertEquals(3, receive(m, d, 1).get(0)[14]);
    d.setPromiscuous(false);
    m.inject(frame(foreign, 4, 80));
    await("model drained", () -> m.pendingRx() == 0);
    assertEquals(0, d.rxBatch(0, new PacketBatch(8), 8));
  }

  @Test
  void closeResetsTheDeviceAndReturnsEveryBuffer() {
    final Ixgbe82599Model m = model();
    final Ixgbe d = open(64, 128);
    send(d, List.of(frame(ours(), 1, 60), frame(ours(), 2, 60)));
    d.close();
    device = null;
    assertEquals(2, m.resets(), "init reset and close reset");
    assertEquals(1, detached.get());
    final MempoolImpl rx = rxPool;
    final MempoolImpl tx = txPool;
    assertTrue(rx != null && tx != null);
    assertEquals(rx.capacity(), rx.freeCount());
    assertEquals(tx.capacity(), tx.freeCount());
    assertThrows(IllegalStateException.class, () -> d.rxBatch(0, new PacketBatch(1), 1));
  }

  @Test
  void eepromThatNeverFinishesFailsInitNamingTheStep() {
    model().breakEeprom();
    final DeviceException e = assertThrows(DeviceException.class, () -> open(64, 64));
    assertEquals("wait for EEPROM auto-read (EEC.ARD)", e.step());
  }
}
