package dev.panamax.examples;

import dev.panamax.api.Borrowed;
import dev.panamax.api.MacAddress;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.api.PacketFilter;

/**
 * Answers ARP requests for one IPv4 address (RFC 826) and ICMP echo requests to it (RFC 792),
 * from the device's MAC address, so that a host on the link can {@code ping} it. Each reply is
 * the received frame rewritten in place and sent back; every other frame is freed. Allocation-free
 * after construction.
 *
 * <pre>
 * Ethernet  0 dst MAC | 6 src MAC | 12 EtherType (0x0806 ARP, 0x0800 IPv4)
 * ARP      14 htype 1 | 16 ptype 0x0800 | 18 hlen 6 | 19 plen 4 | 20 oper (1 request, 2 reply)
 *          22 sender MAC | 28 sender IP | 32 target MAC | 38 target IP
 * IPv4     14 version/IHL | 16 total length | 20 flags/fragment offset | 22 TTL | 23 protocol 1
 *          24 header checksum | 26 source | 30 destination | 14 + IHL * 4: ICMP
 * ICMP      0 type (8 echo request, 0 echo reply) | 1 code 0 | 2 checksum over the whole message
 *           4 identifier | 6 sequence number | 8 data
 * </pre>
 *
 * <p>What is answered: an ARP request (Ethernet, IPv4) whose target is this address, sent to the
 * broadcast or this device's MAC from a unicast sender other than this address; an unfragmented
 * ICMP echo request with code 0 to this address and this device's MAC whose IPv4 header checksum
 * and ICMP checksum are correct. Everything else, short and malformed frames included, is
 * ignored: counted and freed.
 */
public final class Responder {
  /** EtherType of ARP. */
  public static final int ETHERTYPE_ARP = 0x0806;
  /** EtherType of IPv4. */
  public static final int ETHERTYPE_IPV4 = 0x0800;
  /** Length of an Ethernet header plus an ARP message for Ethernet and IPv4. */
  public static final int ARP_FRAME_LENGTH = 42;
  /** TTL of every echo reply. */
  public static final int REPLY_TTL = 64;

  private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
  private static final long MULTICAST_BIT = 0x0100_0000_0000L;
  private static final int IP = 14;
  private static final int NONE = 0;
  private static final byte ARP_REPLY = 1;
  private static final byte ECHO_REPLY = 2;

  private final NetworkDevice device;
  private final PacketBatch batch;
  private final int address;
  private final long mac;
  /** Kind of each reply left in the batch, front to back, so sent replies can be told apart. */
  private final byte[] kinds;
  private final PacketFilter dropUnanswered = this::dropUnanswered;
  private int replies;
  private long arpReplies;
  private long echoReplies;
  private long ignored;
  private long txDropped;

  /**
   * Creates a responder.
   *
   * @param device where requests arrive and replies leave
   * @param address the IPv4 address to answer for, see {@link Ipv4}
   * @param batchSize packets per batch
   */
  public Responder(NetworkDevice device, int address, int batchSize) {
    this.device = device;
    this.batch = new PacketBatch(batchSize);
    this.kinds = new byte[batchSize];
    this.address = address;
    this.mac = device.macAddress().value();
  }

  /**
   * Receives one batch, turns requests into replies, transmits them and frees everything else.
   * Replies the transmit queue does not take are freed and counted as dropped.
   *
   * @return packets received in this step
   */
  public int step() {
    final int n = device.rxBatch(0, batch, batch.capacity());
    if (n == 0) {
      return 0;
    }
    replies = 0;
    batch.freeIf(dropUnanswered);
    final int sent = device.txBatch(0, batch);
    for (int i = 0; i < sent; i++) {
      if (kinds[i] == ARP_REPLY) {
        arpReplies++;
      } else {
        echoReplies++;
      }
    }
    txDropped += batch.freeAll();
    return n;
  }

  private boolean dropUnanswered(@Borrowed OwnedPacket packet) {
    final byte kind = answer(packet);
    if (kind == NONE) {
      ignored++;
      return true;
    }
    kinds[replies++] = kind;
    return false;
  }

  /** Rewrites a request into its reply; returns the reply's kind, or NONE to ignore the frame. */
  private byte answer(@Borrowed OwnedPacket packet) {
    if (packet.length() < ARP_FRAME_LENGTH) {
      return NONE;
    }
    final int etherType = packet.getUnsignedShort(12);
    if (etherType == ETHERTYPE_ARP && isArpRequestForUs(packet)) {
      makeArpReply(packet);
      return ARP_REPLY;
    }
    if (etherType == ETHERTYPE_IPV4 && isEchoRequestForUs(packet)) {
      makeEchoReply(packet);
      return ECHO_REPLY;
    }
    return NONE;
  }

  private boolean isArpRequestForUs(@Borrowed OwnedPacket p) {
    final long destination = readMac(p, 0);
    final long sender = readMac(p, 22);
    return p.getUnsignedShort(14) == 1
        && p.getUnsignedShort(16) == ETHERTYPE_IPV4
        && p.getUnsignedByte(18) == 6
        && p.getUnsignedByte(19) == 4
        && p.getUnsignedShort(20) == 1
        && p.getInt(38) == address
        && p.getInt(28) != address
        && (destination == BROADCAST || destination == mac)
        && (sender & MULTICAST_BIT) == 0
        && sender != 0;
  }

  private void makeArpReply(@Borrowed OwnedPacket p) {
    final long requesterMac = readMac(p, 22);
    final int requesterIp = p.getInt(28);
    writeMac(p, 0, requesterMac);
    writeMac(p, 6, mac);
    p.putShort(20, (short) 2);
    writeMac(p, 22, mac);
    p.putInt(28, address);
    writeMac(p, 32, requesterMac);
    p.putInt(38, requesterIp);
  }

  private boolean isEchoRequestForUs(@Borrowed OwnedPacket p) {
    final int length = p.length();
    final int versionAndIhl = p.getUnsignedByte(IP);
    final int headerLength = (versionAndIhl & 0x0F) * 4;
    final int totalLength = p.getUnsignedShort(IP + 2);
    if ((versionAndIhl >>> 4) != 4
        || headerLength < 20
        || totalLength < headerLength + 8
        || IP + totalLength > length) {
      return false;
    }
    final int icmp = IP + headerLength;
    return readMac(p, 0) == mac
        && (readMac(p, 6) & MULTICAST_BIT) == 0
        && (p.getUnsignedShort(IP + 6) & 0x3FFF) == 0 // neither more fragments nor an offset
        && p.getUnsignedByte(IP + 9) == 1
        && p.getInt(IP + 16) == address
        && isUnicast(p.getInt(IP + 12))
        && p.getUnsignedByte(icmp) == 8
        && p.getUnsignedByte(icmp + 1) == 0
        && Checksums.internet(p, IP, headerLength) == 0
        && Checksums.internet(p, icmp, totalLength - headerLength) == 0;
  }

  private void makeEchoReply(@Borrowed OwnedPacket p) {
    final int headerLength = (p.getUnsignedByte(IP) & 0x0F) * 4;
    final int icmpLength = p.getUnsignedShort(IP + 2) - headerLength;
    final int icmp = IP + headerLength;
    final long requesterMac = readMac(p, 6);
    final int requesterIp = p.getInt(IP + 12);
    writeMac(p, 0, requesterMac);
    writeMac(p, 6, mac);
    p.putInt(IP + 12, address);
    p.putInt(IP + 16, requesterIp);
    p.putByte(IP + 8, (byte) REPLY_TTL);
    p.putShort(IP + 10, (short) 0);
    p.putShort(IP + 10, (short) Checksums.internet(p, IP, headerLength));
    p.putByte(icmp, (byte) 0);
    p.putShort(icmp + 2, (short) 0);
    p.putShort(icmp + 2, (short) Checksums.internet(p, icmp, icmpLength));
  }

  /** Neither 0.0.0.0, nor multicast or reserved (224/3), nor the limited broadcast. */
  private static boolean isUnicast(int ip) {
    return ip != 0 && (ip >>> 29) != 0b111;
  }

  private static long readMac(@Borrowed OwnedPacket p, int offset) {
    return (Integer.toUnsignedLong(p.getInt(offset)) << 16) | p.getUnsignedShort(offset + 4);
  }

  private static void writeMac(@Borrowed OwnedPacket p, int offset, long value) {
    p.putInt(offset, (int) (value >>> 16));
    p.putShort(offset + 4, (short) value);
  }

  /**
   * Returns ARP replies the device accepted for transmission.
   *
   * @return ARP replies sent
   */
  public long arpReplies() {
    return arpReplies;
  }

  /**
   * Returns ICMP echo replies the device accepted for transmission.
   *
   * @return echo replies sent
   */
  public long echoReplies() {
    return echoReplies;
  }

  /**
   * Returns frames that were neither an ARP request nor an echo request for this address.
   *
   * @return frames ignored and freed
   */
  public long ignored() {
    return ignored;
  }

  /**
   * Returns replies freed because the transmit queue was full.
   *
   * @return replies dropped
   */
  public long txDropped() {
    return txDropped;
  }

  /**
   * Returns the address answered for.
   *
   * @return the IPv4 address as an int
   */
  public int address() {
    return address;
  }

  /**
   * Returns the MAC address replies come from.
   *
   * @return the device's MAC address
   */
  public MacAddress macAddress() {
    return new MacAddress(mac);
  }
}
