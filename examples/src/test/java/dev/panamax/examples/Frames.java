package dev.panamax.examples;

import java.io.ByteArrayOutputStream;

/**
 * Builds ARP and ICMP echo frames for the responder's tests, with checksums computed here, not
 * by the code under test.
 */
final class Frames {
  static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
  static final byte[] PEER_MAC = {0x52, 0x54, 0x00, 0x00, 0x00, 0x10};
  static final byte[] OTHER_MAC = {0x52, 0x54, 0x00, 0x00, 0x00, 0x33};
  static final byte[] PEER_IP = {10, 11, 0, 1};
  static final byte[] OUR_IP = {10, 11, 0, 2};
  static final byte[] OTHER_IP = {10, 11, 0, 3};

  private Frames() {}

  /** Ones'-complement sum of 16-bit big-endian words, a trailing odd byte padded with zero. */
  static int checksum(byte[] b, int offset, int length) {
    int sum = 0;
    for (int i = 0; i < length; i += 2) {
      final int high = b[offset + i] & 0xFF;
      final int low = i + 1 < length ? b[offset + i + 1] & 0xFF : 0;
      sum += (high << 8) + low;
      sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return ~sum & 0xFFFF;
  }

  static byte[] arp(byte[] ethDst, byte[] ethSrc, int oper, byte[] senderMac, byte[] senderIp,
      byte[] targetMac, byte[] targetIp) {
    final ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.writeBytes(ethDst);
    f.writeBytes(ethSrc);
    f.writeBytes(new byte[] {0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0, (byte) oper});
    f.writeBytes(senderMac);
    f.writeBytes(senderIp);
    f.writeBytes(targetMac);
    f.writeBytes(targetIp);
    return f.toByteArray();
  }

  /** A who-has request for {@code targetIp} from the peer, to the broadcast address. */
  static byte[] arpRequest(byte[] targetIp) {
    return arp(BROADCAST, PEER_MAC, 1, PEER_MAC, PEER_IP, new byte[6], targetIp);
  }

  /**
   * An Ethernet/IPv4/ICMP frame: IPv4 without options, identification 0x1c46, DF set; both
   * checksums correct.
   */
  static byte[] icmp(byte[] ethDst, byte[] ethSrc, byte[] srcIp, byte[] dstIp, int ttl, int type,
      int id, int seq, byte[] data) {
    final int icmpLength = 8 + data.length;
    final int total = 20 + icmpLength;
    final byte[] f = new byte[14 + total];
    System.arraycopy(ethDst, 0, f, 0, 6);
    System.arraycopy(ethSrc, 0, f, 6, 6);
    f[12] = 0x08;
    final byte[] ip = {0x45, 0, (byte) (total >> 8), (byte) total, 0x1c, 0x46, 0x40, 0,
        (byte) ttl, 1, 0, 0};
    System.arraycopy(ip, 0, f, 14, ip.length);
    System.arraycopy(srcIp, 0, f, 26, 4);
    System.arraycopy(dstIp, 0, f, 30, 4);
    final int ipSum = checksum(f, 14, 20);
    f[24] = (byte) (ipSum >> 8);
    f[25] = (byte) ipSum;
    f[34] = (byte) type;
    f[38] = (byte) (id >> 8);
    f[39] = (byte) id;
    f[40] = (byte) (seq >> 8);
    f[41] = (byte) seq;
    System.arraycopy(data, 0, f, 42, data.length);
    final int icmpSum = checksum(f, 34, icmpLength);
    f[36] = (byte) (icmpSum >> 8);
    f[37] = (byte) icmpSum;
    return f;
  }

  static byte[] payload(int length) {
    final byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) (0x10 + i * 7);
    }
    return data;
  }

  /** An echo request from the peer to {@code dstIp} at {@code ethDst}. */
  static byte[] echoRequest(byte[] ethDst, byte[] dstIp, int seq, byte[] data) {
    return icmp(ethDst, PEER_MAC, PEER_IP, dstIp, 63, 8, 0x4242, seq, data);
  }

  /** The reply the responder must send to {@link #echoRequest} to its address. */
  static byte[] echoReply(byte[] ourMac, int seq, byte[] data) {
    return icmp(PEER_MAC, ourMac, OUR_IP, PEER_IP, 64, 0, 0x4242, seq, data);
  }
}
