package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pcap and respond apps inside a VM, checked by real clients: Debian's tshark and capinfos
 * read the capture the pcap app wrote on an igb; the guest kernel's ping (through its e1000
 * driver) gets every echo request answered by the respond app on an igb.
 */
class AppsScenariosTest {
  private static final int N = 500;
  private static final int SIZE = 98;
  private static final int PINGS = 20;

  @Test
  void pcapWritesEveryFrameAndTsharkReadsThemBackIntact() throws Exception {
    final VmRunner.Result r = VmRunner.run("virtio-legacy,igb", 420,
        "env", "N=" + N, "PPS=500", "SIZE=" + SIZE, "testbed/scenarios/pcap.sh");
    assertEquals(0, r.exitCode(), r.output());
    r.find("RESULT pktgen=0 pcap=0 tshark=0 frames=" + N
        + " driver_after_tx=virtio-pci driver_after_rx=igb");
    r.find("pktgen: sent " + N + " packets");
    r.find("pcap on 0000:02:00.0 \\(igb, 52:54:00:00:00:11, link up 1000 Mbit/s, promiscuous"
        + " false\\) -> /run/capture.pcap, " + N + " packets");
    r.find("pcap summary: " + N + " packets, " + N * SIZE + " bytes written to /run/capture.pcap \\("
        + (24 + N * (16 + SIZE)) + " bytes with headers\\); device counters: rx " + N + " packets "
        + N * SIZE + " bytes, 0 errors");
    // capinfos' view of the file header.
    r.find("^File type: +Wireshark/tcpdump/\\.\\.\\. - pcap$");
    r.find("^File encapsulation: +Ethernet$");
    r.find("^File timestamp precision: +microseconds \\(6\\)$");
    r.find("^Packet size limit: +file hdr: 65535 bytes$");
    r.find("^Number of packets: +" + N + "$");

    // tshark's decoding of every frame.
    final Pattern frame = Pattern.compile("^FRAME (\\d+) (\\d+) (\\d+) (\\S+) (\\S+) (\\S+) (\\S+)"
        + " (\\d+) (\\d+) ([0-9a-f]+) ([0-9.]+)$", Pattern.MULTILINE);
    final Matcher m = frame.matcher(r.output());
    final BitSet seen = new BitSet(N);
    final BigDecimal before = new BigDecimal(r.find("CLOCK before=([0-9.]+) "));
    final BigDecimal after = new BigDecimal(r.find("CLOCK before=\\S+ after=([0-9.]+)$"));
    BigDecimal last = before;
    int frames = 0;
    while (m.find()) {
      frames++;
      final String where = "tshark frame " + frames + ": " + m.group();
      assertEquals(frames, Integer.parseInt(m.group(1)), where);
      assertEquals(SIZE, Integer.parseInt(m.group(2)), "frame.len, " + where);
      assertEquals(SIZE, Integer.parseInt(m.group(3)), "frame.cap_len, " + where);
      assertEquals("52:54:00:00:00:11", m.group(4), "eth.dst, " + where);
      assertEquals("52:54:00:00:00:10", m.group(5), "eth.src, " + where);
      assertEquals(List.of("10.0.0.1", "10.0.0.2", "42", "1337"),
          List.of(m.group(6), m.group(7), m.group(8), m.group(9)), where);
      final long seq = checkPayload(HexFormat.of().parseHex(m.group(10)), where);
      assertTrue(seq >= 0 && seq < N, "sequence number in range, " + where);
      assertTrue(!seen.get((int) seq), "sequence number " + seq + " seen twice, " + where);
      seen.set((int) seq);
      final BigDecimal time = new BigDecimal(m.group(11));
      assertTrue(time.compareTo(last) >= 0 && time.compareTo(after) <= 0,
          "timestamp " + time + " after the previous one (" + last + ") and before " + after + ", " + where);
      last = time;
    }
    assertEquals(N, frames, "frames decoded by tshark");
    assertEquals(N, seen.cardinality(), "every sequence number 0.." + (N - 1) + " exactly once");
  }

  /**
   * Checks a test frame's UDP payload as pktgen writes it: 8-byte sequence number, 4-byte
   * checksum (FNV-1a style over the sequence number and the filler), filler byte at frame
   * offset i = seq * 31 + i. Returns the sequence number.
   */
  private static long checkPayload(byte[] payload, String where) {
    assertEquals(SIZE - 42, payload.length, "UDP payload length, " + where);
    long seq = 0;
    for (int i = 0; i < 8; i++) {
      seq = (seq << 8) | (payload[i] & 0xFF);
    }
    int hash = 0x811C9DC5;
    for (int shift = 0; shift < 64; shift += 8) {
      hash = (hash ^ (int) ((seq >>> shift) & 0xFF)) * 0x01000193;
    }
    for (int offset = 54; offset < SIZE; offset++) {
      final byte b = payload[offset - 42];
      assertEquals((byte) (seq * 31 + offset), b, "filler at frame offset " + offset + ", " + where);
      hash = (hash ^ (b & 0xFF)) * 0x01000193;
    }
    final int stored = ((payload[8] & 0xFF) << 24) | ((payload[9] & 0xFF) << 16)
        | ((payload[10] & 0xFF) << 8) | (payload[11] & 0xFF);
    assertEquals(hash, stored, "payload checksum, " + where);
    return seq;
  }

  @Test
  void respondAnswersEveryPingFromTheGuestKernel() throws Exception {
    final VmRunner.Result r = VmRunner.run("e1000,igb", 420,
        "env", "COUNT=" + PINGS, "testbed/scenarios/respond.sh");
    assertEquals(0, r.exitCode(), r.output());
    r.find("scenario respond: \\S+ \\(0000:01:00.0, e1000\\) 10.11.0.1 pings respond on 0000:02:00.0");
    r.find(PINGS + " packets transmitted, " + PINGS + " received, 0% packet loss");
    for (int seq = 1; seq <= PINGS; seq++) {
      r.find("^64 bytes from 10.11.0.2: icmp_seq=" + seq + " ttl=64 time=");
    }
    final String rtt = r.find("^(rtt min/avg/max/mdev = .*)$");
    System.out.println("respond scenario: " + rtt);
    // The kernel learned the responder's MAC from its ARP reply.
    r.find("^NEIGH 10.11.0.2 lladdr 52:54:00:00:00:11 ");
    r.find("respond on 0000:02:00.0 \\(igb, 52:54:00:00:00:11, link up 1000 Mbit/s, promiscuous"
        + " false\\) as 10.11.0.2");
    final long arp = r.number("respond summary: arp replies (\\d+), ");
    assertTrue(arp >= 1, "at least one ARP reply: " + arp);
    r.find("respond summary: arp replies \\d+, echo replies " + PINGS
        + ", ignored \\d+, tx dropped 0, stopped by signal; ");
    r.find("RESULT ping=0 respond=143 driver_after=igb");
  }
}
