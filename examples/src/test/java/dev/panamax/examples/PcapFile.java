package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader of classic pcap files for the tests, written from the format description (not from
 * PcapWriter): the byte order comes from the magic number, every record is read to the last
 * byte and nothing may follow the last record.
 */
record PcapFile(ByteOrder order, int versionMajor, int versionMinor, int thiszone, int sigfigs,
    long snaplen, long linktype, List<Record> records) {

  /** One record. */
  record Record(long tsSec, long tsUsec, int inclLen, int origLen, byte[] data) {
    long micros() {
      return tsSec * 1_000_000L + tsUsec;
    }
  }

  static PcapFile read(Path file) throws IOException {
    final ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
    if (in.remaining() < 24) {
      fail(file + " is " + in.remaining() + " bytes, shorter than a pcap header");
    }
    final int magicBigEndian = in.order(ByteOrder.BIG_ENDIAN).getInt(0);
    final ByteOrder order;
    if (magicBigEndian == 0xA1B2C3D4) {
      order = ByteOrder.BIG_ENDIAN;
    } else if (magicBigEndian == 0xD4C3B2A1) {
      order = ByteOrder.LITTLE_ENDIAN;
    } else {
      throw new AssertionError("bad magic 0x" + Integer.toHexString(magicBigEndian));
    }
    in.order(order).position(4);
    final int major = Short.toUnsignedInt(in.getShort());
    final int minor = Short.toUnsignedInt(in.getShort());
    final int zone = in.getInt();
    final int sigfigs = in.getInt();
    final long snaplen = Integer.toUnsignedLong(in.getInt());
    final long linktype = Integer.toUnsignedLong(in.getInt());
    final List<Record> records = new ArrayList<>();
    while (in.hasRemaining()) {
      if (in.remaining() < 16) {
        fail("truncated record header: " + in.remaining() + " bytes left");
      }
      final long sec = Integer.toUnsignedLong(in.getInt());
      final long usec = Integer.toUnsignedLong(in.getInt());
      final int incl = in.getInt();
      final int orig = in.getInt();
      if (incl < 0 || incl > in.remaining()) {
        fail("record " + records.size() + ": incl_len " + incl + " but " + in.remaining() + " bytes left");
      }
      final byte[] data = new byte[incl];
      in.get(data);
      records.add(new Record(sec, usec, incl, orig, data));
    }
    assertEquals(0, in.remaining());
    return new PcapFile(order, major, minor, zone, sigfigs, snaplen, linktype, List.copyOf(records));
  }

  /** Asserts the global header the pcap app writes. */
  void assertStandardHeader() {
    assertEquals(ByteOrder.nativeOrder(), order, "written in the machine's byte order");
    assertEquals(2, versionMajor);
    assertEquals(4, versionMinor);
    assertEquals(0, thiszone);
    assertEquals(0, sigfigs);
    assertEquals(65535, snaplen);
    assertEquals(1, linktype, "LINKTYPE_ETHERNET");
  }
}
