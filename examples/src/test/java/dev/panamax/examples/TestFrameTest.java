package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.OwnedPacket;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestFrameTest {
  private final Arena arena = Arena.ofConfined();
  private final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 4, "frames");
  private final byte[] dst = {0x52, 0x54, 0, 0, 0, 2};
  private final byte[] src = {0x52, 0x54, 0, 0, 0, 1};

  @AfterEach
  void close() {
    arena.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {60, 61, 128, 1514})
  void writtenFramesVerifyWithTheirSequenceNumber(int length) {
    final OwnedPacket p = pool.alloc(length);
    new TestFrame(length, dst, src).write(p, 123_456_789_012L);
    assertEquals(123_456_789_012L, TestFrame.verify(p));
    assertEquals(0x0800, p.getUnsignedShort(12));
    assertEquals(17, p.getUnsignedByte(23), "IPv4 protocol UDP");
    assertEquals(length - 14, p.getUnsignedShort(16), "IPv4 total length");
    p.free();
  }

  /** --light: the headers and the sequence number of a full frame, nothing after them. */
  @Test
  void lightFramesHaveTheFullFramesHeadersAndSequenceNumberAndLeaveThePayloadAlone() {
    final TestFrame frame = new TestFrame(100, dst, src);
    final OwnedPacket full = pool.alloc(100);
    frame.write(full, 77);
    final OwnedPacket light = pool.alloc(100);
    for (int i = 0; i < 100; i++) {
      light.putByte(i, (byte) 0xA5);
    }
    frame.writeHeaders(light, 77);
    for (int i = 0; i < TestFrame.CHECK_OFFSET; i++) {
      assertEquals(full.getByte(i), light.getByte(i), "header or sequence byte " + i);
    }
    for (int i = TestFrame.CHECK_OFFSET; i < 100; i++) {
      assertEquals((byte) 0xA5, light.getByte(i), "payload byte " + i + " untouched");
    }
    assertEquals(77, TestFrame.verify(full));
    assertEquals(-1, TestFrame.verify(light), "a light frame does not pass as a verified one");
    full.free();
    light.free();
  }

  @Test
  void ipv4HeaderChecksumIsValid() {
    final OwnedPacket p = pool.alloc(60);
    new TestFrame(60, dst, src).write(p, 1);
    final byte[] ip = new byte[20];
    p.copyTo(14, ip, 0, 20);
    assertEquals(0, Checksums.internet(ip, 0, 20), "a valid header sums to zero");
    p.free();
  }

  @Test
  void anyCorruptedPayloadByteOrSequenceIsDetected() {
    final OwnedPacket p = pool.alloc(100);
    final TestFrame frame = new TestFrame(100, dst, src);
    for (int offset = TestFrame.SEQ_OFFSET; offset < 100; offset++) {
      frame.write(p, 42);
      p.putByte(offset, (byte) (p.getByte(offset) ^ 0x10));
      assertEquals(-1, TestFrame.verify(p), "flip at offset " + offset);
    }
    p.free();
  }

  @Test
  void shortOrNonIpv4FramesAreRejected() {
    final OwnedPacket p = pool.alloc(60);
    new TestFrame(60, dst, src).write(p, 5);
    p.setLength(59);
    assertEquals(-1, TestFrame.verify(p));
    p.setLength(60);
    p.putShort(12, (short) 0x86dd);
    assertEquals(-1, TestFrame.verify(p));
    p.free();
  }
}
