package dev.panamax.impl.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.api.Rss;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The data of VIRTIO_NET_CTRL_MQ_RSS_CONFIG, read back field by field at the offsets of struct
 * virtio_net_rss_config (virtio 1.1, 5.1.6.5.7.1), and the ring memory the driver asks for.
 */
class VirtioRssConfigTest {

  @Test
  void rssConfigHasTheSpecsLayoutWithTheKeyAndTableOfTheSettings() {
    final Rss rss = Rss.spread(4);
    // The device supports IPv4, TCPv4, UDPv4, IPv6, TCPv6, UDPv6 and the _EX types (0x1FF).
    final byte[] data = VirtioNet.rssConfig(0x1FF, rss, 4);
    assertEquals(4 + 2 + 2 + 2 * 128 + 2 + 1 + 40, data.length);
    final ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0x3F, b.getInt(0), "hash_types: addresses and TCP/UDP ports, no _EX types");
    assertEquals(127, b.getShort(4), "indirection_table_mask");
    assertEquals(0, b.getShort(6), "unclassified_queue");
    for (int i = 0; i < 128; i++) {
      assertEquals(i % 4, b.getShort(8 + 2 * i), "indirection_table[" + i + "]");
    }
    assertEquals(4, b.getShort(8 + 256), "max_tx_vq");
    assertEquals(40, data[8 + 256 + 2], "hash_key_length");
    assertArrayEquals(rss.key(), Arrays.copyOfRange(data, 8 + 256 + 3, data.length), "hash_key_data");
  }

  @Test
  void onlyHashTypesTheDeviceSupportsAreAskedFor() {
    final byte[] data = VirtioNet.rssConfig(0x05, Rss.symmetric(2), 2); // IPv4 and UDPv4 only
    assertEquals(0x05, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    assertArrayEquals(Rss.symmetric(2).key(), Arrays.copyOfRange(data, 8 + 256 + 3, data.length));
  }

  @Test
  void ringMemoryGrowsWithTheQueuePairsInWholeHugepages() {
    assertEquals(2L << 20, VirtioNet.ringMemory(1, 512));
    assertEquals(2L << 20, VirtioNet.ringMemory(16, 512), "32 queues of 1024 entries fit 2 MiB");
    // 16 pairs of 4096 entries: 32 * (77824 + 36864) bytes + control queue > 2 MiB.
    assertEquals(4L << 20, VirtioNet.ringMemory(16, 4096));
  }
}
