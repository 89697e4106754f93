package dev.panamax.examples;

import dev.panamax.api.Borrowed;
import dev.panamax.api.OwnedPacket;

/**
 * The frames the example generator sends and the receiver verifies: Ethernet II + IPv4 + UDP,
 * then a payload of an 8-byte sequence number, a 4-byte checksum, and filler bytes derived from
 * the sequence number. Any change to the sequence number or the filler breaks the checksum.
 *
 * <pre>
 * 0  dst MAC (6) | 6 src MAC (6) | 12 EtherType 0x0800
 * 14 IPv4 header, 20 bytes, protocol UDP, 10.0.0.1 -> 10.0.0.2, header checksum valid
 * 34 UDP header, 8 bytes, ports 42 -> 1337, checksum 0 (none)
 * 42 sequence number (8) | 50 payload checksum (4) | 54 filler up to the frame length
 * </pre>
 */
public final class TestFrame {
  /** Offset of the UDP source port (pktgen --flows varies it). */
  public static final int SOURCE_PORT_OFFSET = 34;
  /** Offset of the sequence number. */
  public static final int SEQ_OFFSET = 42;
  /** Offset of the payload checksum. */
  public static final int CHECK_OFFSET = 50;
  /** Offset of the filler. */
  public static final int FILLER_OFFSET = 54;
  /** Smallest frame that carries sequence number and checksum. */
  public static final int MIN_LENGTH = 60;

  private final byte[] header;

  /**
   * Prepares headers for frames of one length.
   *
   * @param length frame length without FCS, at least {@value #MIN_LENGTH}
   * @param dst destination MAC, 6 octets
   * @param src source MAC, 6 octets
   */
  public TestFrame(int length, byte[] dst, byte[] src) {
    if (length < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "frame length " + length + " is below the minimum of " + MIN_LENGTH);
    }
    header = new byte[42];
    System.arraycopy(dst, 0, header, 0, 6);
    System.arraycopy(src, 0, header, 6, 6);
    header[12] = 0x08;
    header[13] = 0x00;
    final int ipLength = length - 14;
    final byte[] ip = {
      0x45, 0, (byte) (ipLength >> 8), (byte) ipLength, 0, 0, 0, 0, 64, 17, 0, 0,
      10, 0, 0, 1, 10, 0, 0, 2
    };
    final int checksum = Checksums.internet(ip, 0, ip.length);
    ip[10] = (byte) (checksum >> 8);
    ip[11] = (byte) checksum;
    System.arraycopy(ip, 0, header, 14, 20);
    final int udpLength = ipLength - 20;
    final byte[] udp = {0, 42, 0x05, 0x39, (byte) (udpLength >> 8), (byte) udpLength, 0, 0};
    System.arraycopy(udp, 0, header, 34, 8);
  }

  /**
   * Writes a complete frame with a sequence number into a packet whose length is already set.
   *
   * @param packet the packet to fill, borrowed
   * @param seq the sequence number
   */
  public void write(@Borrowed OwnedPacket packet, long seq) {
    packet.copyFrom(0, header, 0, header.length);
    packet.putLong(SEQ_OFFSET, seq);
    final int length = packet.length();
    int hash = seed(seq);
    for (int i = FILLER_OFFSET; i < length; i++) {
      final byte b = filler(seq, i);
      packet.putByte(i, b);
      hash = mix(hash, b);
    }
    packet.putInt(CHECK_OFFSET, hash);
  }

  /**
   * Writes only the headers and the sequence number (pktgen {@code --light}): the payload
   * checksum and the filler are left as the buffer holds them, so {@link #verify} does not
   * accept the frame unless the buffer last carried the same sequence number. The work per frame
   * is then what a plain traffic generator does: copy a prepared header, set one field.
   *
   * @param packet the packet to fill, borrowed
   * @param seq the sequence number
   */
  public void writeHeaders(@Borrowed OwnedPacket packet, long seq) {
    packet.copyFrom(0, header, 0, header.length);
    packet.putLong(SEQ_OFFSET, seq);
  }

  /**
   * Verifies a frame written by {@link #write}.
   *
   * @param packet the received packet, borrowed
   * @return the sequence number, or -1 if the frame is too short or its checksum is wrong
   */
  public static long verify(@Borrowed OwnedPacket packet) {
    final int length = packet.length();
    if (length < MIN_LENGTH || packet.getUnsignedShort(12) != 0x0800) {
      return -1;
    }
    final long seq = packet.getLong(SEQ_OFFSET);
    int hash = seed(seq);
    for (int i = FILLER_OFFSET; i < length; i++) {
      final byte b = packet.getByte(i);
      if (b != filler(seq, i)) {
        return -1;
      }
      hash = mix(hash, b);
    }
    return packet.getInt(CHECK_OFFSET) == hash ? seq : -1;
  }

  private static byte filler(long seq, int offset) {
    return (byte) (seq * 31 + offset);
  }

  private static int seed(long seq) {
    int hash = 0x811C9DC5;
    for (int shift = 0; shift < 64; shift += 8) {
      hash = mix(hash, (byte) (seq >>> shift));
    }
    return hash;
  }

  private static int mix(int hash, byte b) {
    return (hash ^ (b & 0xFF)) * 0x01000193;
  }
}
