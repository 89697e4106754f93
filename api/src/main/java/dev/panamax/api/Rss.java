package dev.panamax.api;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Receive-side scaling: how a NIC with several receive queues spreads flows over them. The NIC
 * computes the Toeplitz hash of each frame's IP addresses (and TCP/UDP ports), takes its low 7
 * bits as an index into a 128-entry redirection table, and puts the frame on the queue that
 * entry names. All frames of one flow therefore land on one queue, in order.
 *
 * <p>This class holds the 40-byte hash key and the redirection table a driver programs (82576
 * RSSRK/RETA, 82599 RSSRK/RETA), and computes the same hash in software with {@link
 * #toeplitz(byte[], byte[])}, defined as in Microsoft's RSS specification ("Verifying the RSS
 * Hash Calculation"), so that an application can tell in advance which queue a flow will reach.
 * Instances are immutable.
 */
public final class Rss {
  /** Bytes of the hash key. */
  public static final int KEY_LENGTH = 40;
  /** Entries of the redirection table: the hash's low 7 bits index it. */
  public static final int TABLE_SIZE = 128;
  /** Receive queues an entry may name (the 82576 has 16, the 82599 16 for RSS). */
  public static final int MAX_QUEUES = 16;

  /** The key of Microsoft's RSS verification examples, the usual default of NIC drivers. */
  private static final byte[] DEFAULT_KEY = {
    0x6d, 0x5a, 0x56, (byte) 0xda, 0x25, 0x5b, 0x0e, (byte) 0xc2,
    0x41, 0x67, 0x25, 0x3d, 0x43, (byte) 0xa3, (byte) 0x8f, (byte) 0xb0,
    (byte) 0xd0, (byte) 0xca, 0x2b, (byte) 0xcb, (byte) 0xae, 0x7b, 0x30, (byte) 0xb4,
    0x77, (byte) 0xcb, 0x2d, (byte) 0xa3, (byte) 0x80, 0x30, (byte) 0xf2, 0x0c,
    0x6a, 0x42, (byte) 0xb7, 0x3b, (byte) 0xbe, (byte) 0xac, 0x01, (byte) 0xfa,
  };

  private final byte[] key;
  private final byte[] table;

  private Rss(byte[] key, byte[] table) {
    this.key = key;
    this.table = table;
  }

  /**
   * The default: Microsoft's verification key and a table that names queues 0..queues-1 in
   * turn.
   *
   * @param queues receive queues, 1 to {@value #MAX_QUEUES}
   * @return the settings
   */
  public static Rss spread(int queues) {
    return new Rss(DEFAULT_KEY.clone(), roundRobin(queues));
  }

  /**
   * A symmetric key (the 16-bit pattern 0x6d5a repeated): swapping source and destination
   * addresses and ports gives the same hash, so both directions of a flow reach the same queue.
   *
   * @param queues receive queues, 1 to {@value #MAX_QUEUES}
   * @return the settings
   */
  public static Rss symmetric(int queues) {
    final byte[] k = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH; i += 2) {
      k[i] = 0x6d;
      k[i + 1] = 0x5a;
    }
    return new Rss(k, roundRobin(queues));
  }

  /**
   * Settings with a key and table of your own.
   *
   * @param key {@value #KEY_LENGTH} bytes, copied
   * @param table {@value #TABLE_SIZE} queue numbers from 0 to {@value #MAX_QUEUES} - 1, copied
   * @return the settings
   * @throws IllegalArgumentException naming the wrong length or entry
   */
  public static Rss of(byte[] key, int[] table) {
    Objects.requireNonNull(key, "Rss: key must not be null");
    Objects.requireNonNull(table, "Rss: table must not be null");
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("Rss: key of " + key.length + " bytes: must have " + KEY_LENGTH);
    }
    if (table.length != TABLE_SIZE) {
      throw new IllegalArgumentException("Rss: table of " + table.length + " entries: must have " + TABLE_SIZE);
    }
    final byte[] t = new byte[TABLE_SIZE];
    for (int i = 0; i < TABLE_SIZE; i++) {
      if (table[i] < 0 || table[i] >= MAX_QUEUES) {
        throw new IllegalArgumentException("Rss: table entry " + i + " = " + table[i]
            + ": must be a queue from 0 to " + (MAX_QUEUES - 1));
      }
      t[i] = (byte) table[i];
    }
    return new Rss(key.clone(), t);
  }

  private static byte[] roundRobin(int queues) {
    if (queues < 1 || queues > MAX_QUEUES) {
      throw new IllegalArgumentException("Rss: " + queues + " queues: must be from 1 to " + MAX_QUEUES);
    }
    final byte[] t = new byte[TABLE_SIZE];
    for (int i = 0; i < TABLE_SIZE; i++) {
      t[i] = (byte) (i % queues);
    }
    return t;
  }

  /**
   * Returns a copy of the hash key.
   *
   * @return {@value #KEY_LENGTH} bytes
   */
  public byte[] key() {
    return key.clone();
  }

  /**
   * Returns the queue a table entry names.
   *
   * @param index from 0 to {@value #TABLE_SIZE} - 1
   * @return the queue
   */
  public int tableEntry(int index) {
    return table[Objects.checkIndex(index, TABLE_SIZE)];
  }

  /**
   * Returns the highest queue the table names, plus one: the receive queues it needs.
   *
   * @return the queue count the table uses
   */
  public int queuesUsed() {
    int max = 0;
    for (byte q : table) {
      max = Math.max(max, q);
    }
    return max + 1;
  }

  /**
   * Returns the queue a hash selects: the table entry at its low 7 bits.
   *
   * @param hash a Toeplitz hash
   * @return the receive queue
   */
  public int queueOf(int hash) {
    return table[hash & (TABLE_SIZE - 1)];
  }

  /**
   * Hashes an IPv4 frame as the NIC does for IP without ports (e.g. fragments, or a protocol
   * other than TCP and UDP): the input is source address, then destination address.
   *
   * @param source source IPv4 address
   * @param destination destination IPv4 address
   * @return the 32-bit hash
   */
  public int hashIpv4(int source, int destination) {
    return toeplitz(key, new byte[] {
      (byte) (source >>> 24), (byte) (source >>> 16), (byte) (source >>> 8), (byte) source,
      (byte) (destination >>> 24), (byte) (destination >>> 16), (byte) (destination >>> 8),
      (byte) destination,
    });
  }

  /**
   * Hashes an IPv4 UDP or TCP flow as the NIC does with ports enabled: the input is source
   * address, destination address, source port, destination port, in network byte order.
   *
   * @param source source IPv4 address, e.g. 0x0a000001 for 10.0.0.1
   * @param destination destination IPv4 address
   * @param sourcePort source port
   * @param destinationPort destination port
   * @return the 32-bit hash
   */
  public int hashIpv4(int source, int destination, int sourcePort, int destinationPort) {
    final byte[] input = {
      (byte) (source >>> 24), (byte) (source >>> 16), (byte) (source >>> 8), (byte) source,
      (byte) (destination >>> 24), (byte) (destination >>> 16), (byte) (destination >>> 8),
      (byte) destination,
      (byte) (sourcePort >>> 8), (byte) sourcePort, (byte) (destinationPort >>> 8),
      (byte) destinationPort,
    };
    return toeplitz(key, input);
  }

  /**
   * The Toeplitz hash of Microsoft's RSS specification: for every bit of the input that is set,
   * from the most significant bit of the first byte on, XOR into the result the 32 bits of the
   * key that start at that bit's position.
   *
   * @param key the key; it must have at least 4 bytes more than the input
   * @param input the bytes to hash
   * @return the 32-bit hash
   */
  public static int toeplitz(byte[] key, byte[] input) {
    if (key.length < input.length + 4) {
      throw new IllegalArgumentException("toeplitz: a key of " + key.length
          + " bytes hashes at most " + (key.length - 4) + " input bytes, got " + input.length);
    }
    int result = 0;
    // The 32-bit window of the key that lines up with the current input bit.
    int window = ((key[0] & 0xFF) << 24) | ((key[1] & 0xFF) << 16) | ((key[2] & 0xFF) << 8)
        | (key[3] & 0xFF);
    for (int i = 0; i < input.length; i++) {
      final int next = key[i + 4] & 0xFF;
      for (int bit = 7; bit >= 0; bit--) {
        if ((input[i] & (1 << bit)) != 0) {
          result ^= window;
        }
        window = (window << 1) | ((next >>> bit) & 1);
      }
    }
    return result;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Rss r && Arrays.equals(key, r.key) && Arrays.equals(table, r.table);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(key) + Arrays.hashCode(table);
  }

  @Override
  public String toString() {
    return "Rss[key " + HexFormat.of().formatHex(key) + ", table of " + TABLE_SIZE
        + " entries over " + queuesUsed() + " queues]";
  }
}
