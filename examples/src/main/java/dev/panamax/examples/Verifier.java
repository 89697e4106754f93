package dev.panamax.examples;

import dev.panamax.api.NetworkDevice;
import dev.panamax.api.PacketBatch;
import java.util.BitSet;
import org.jspecify.annotations.Nullable;

/**
 * Receives {@link TestFrame}s, checks each one's checksum and sequence number, and frees them.
 * Counts valid, corrupt, out-of-order (sequence below the highest seen) and missing frames.
 */
public final class Verifier {
  private final NetworkDevice device;
  private final PacketBatch batch;
  private long valid;
  private long corrupt;
  private long reordered;
  private long nextExpected;
  private long gaps;

  /**
   * Creates a verifier.
   *
   * @param device where to receive
   * @param batchSize packets per batch
   */
  public Verifier(NetworkDevice device, int batchSize) {
    this(device, batchSize, 0);
  }

  /**
   * Creates a verifier that also checks sequence numbers {@code 0..expected-1} arrive exactly
   * once (a bit set of {@code expected} bits, allocated here, once).
   *
   * @param device where to receive
   * @param batchSize packets per batch
   * @param expected number of frames the sender will send, 0 if unknown
   */
  public Verifier(NetworkDevice device, int batchSize, long expected) {
    this(device, 0, batchSize, expected, false);
  }

  /**
   * Creates a verifier for one receive queue of a device, optionally counting frames per UDP
   * source port (pktgen's flows).
   *
   * @param device where to receive
   * @param queue the receive queue
   * @param batchSize packets per batch
   * @param expected number of frames the sender will send, 0 if unknown
   * @param countFlows count valid frames per UDP source port ({@link #framesFromPort(int)})
   */
  public Verifier(NetworkDevice device, int queue, int batchSize, long expected, boolean countFlows) {
    this(device, queue, batchSize, expected, countFlows, false);
  }

  /**
   * Creates a verifier for one receive queue of a device; with {@code light}, it only counts and
   * frees what arrives, checking nothing (the per-frame work of DPDK testpmd's {@code rxonly},
   * for measuring the receive path itself).
   *
   * @param device where to receive
   * @param queue the receive queue
   * @param batchSize packets per batch
   * @param expected number of frames the sender will send, 0 if unknown
   * @param countFlows count valid frames per UDP source port ({@link #framesFromPort(int)})
   * @param light count frames without verifying them ({@link #unverified()})
   */
  public Verifier(NetworkDevice device, int queue, int batchSize, long expected, boolean countFlows,
      boolean light) {
    this.light = light;
    this.device = device;
    this.queue = queue;
    this.batch = new PacketBatch(batchSize);
    this.seen = expected > 0 ? new BitSet(Math.toIntExact(expected)) : null;
    this.expected = expected;
    this.byPort = countFlows ? new long[65536] : null;
  }

  private final int queue;
  private final boolean light;
  private long unverified;
  private final @Nullable BitSet seen;
  private final long expected;
  private final long @Nullable [] byPort;
  private long duplicates;
  private long outOfRange;
  /** valid + corrupt, published once per step for a thread that watches progress. */
  private volatile long checked;

  /**
   * Receives and checks one batch.
   *
   * @return packets received in this step
   */
  public int step() {
    final int n = device.rxBatch(queue, batch, batch.capacity());
    if (light) {
      unverified += n;
      batch.freeAll();
      if (n > 0) {
        checked = unverified;
      }
      return n;
    }
    final long[] ports = byPort;
    for (int i = 0; i < n; i++) {
      final long seq = TestFrame.verify(batch.get(i));
      if (seq < 0) {
        corrupt++;
      } else {
        valid++;
        if (ports != null) {
          ports[batch.get(i).getUnsignedShort(TestFrame.SOURCE_PORT_OFFSET)]++;
        }
        final BitSet bits = seen;
        if (bits != null) {
          if (seq >= expected) {
            outOfRange++;
          } else if (bits.get((int) seq)) {
            duplicates++;
          } else {
            bits.set((int) seq);
          }
        }
        if (seq < nextExpected) {
          reordered++;
        } else {
          gaps += seq - nextExpected;
          nextExpected = seq + 1;
        }
      }
    }
    batch.freeAll();
    if (n > 0) {
      checked = valid + corrupt;
    }
    return n;
  }

  /**
   * Returns the frames received in light mode, which are counted but not verified.
   *
   * @return unverified count, 0 unless the verifier is light
   */
  public long unverified() {
    return unverified;
  }

  /**
   * Returns the frames received so far: valid, corrupt and unverified.
   *
   * @return frames received
   */
  public long received() {
    return valid + corrupt + unverified;
  }

  /**
   * Returns valid plus corrupt (or, light, unverified) frames as of the last step that received
   * any; safe to call from another thread.
   *
   * @return frames checked
   */
  public long checked() {
    return checked;
  }

  /**
   * Returns the valid frames that came from a UDP source port (with flow counting on).
   *
   * @param port the source port
   * @return frames, 0 without flow counting
   */
  public long framesFromPort(int port) {
    final long[] ports = byPort;
    return ports == null ? 0 : ports[port];
  }

  /**
   * Returns the sequence numbers of {@code 0..expected-1} that arrived, for merging the
   * verifiers of several queues.
   *
   * @return a copy of the bit set, empty without an expected count
   */
  public BitSet seen() {
    final BitSet bits = seen;
    return bits == null ? new BitSet() : (BitSet) bits.clone();
  }

  /**
   * Returns frames whose checksum matched.
   *
   * @return valid count
   */
  public long valid() {
    return valid;
  }

  /**
   * Returns frames that failed verification.
   *
   * @return corrupt count
   */
  public long corrupt() {
    return corrupt;
  }

  /**
   * Returns frames that arrived after a higher sequence number.
   *
   * @return reordered count
   */
  public long reordered() {
    return reordered;
  }

  /**
   * Returns sequence numbers skipped so far (lost, unless they arrive late).
   *
   * @return missing count
   */
  public long gaps() {
    return gaps;
  }

  /**
   * Returns how many distinct sequence numbers of {@code 0..expected-1} arrived.
   *
   * @return distinct count, or -1 if no expected count was given
   */
  public long distinct() {
    final BitSet bits = seen;
    return bits == null ? -1 : bits.cardinality();
  }

  /**
   * Returns frames whose sequence number had already arrived.
   *
   * @return duplicate count (only counted with an expected count)
   */
  public long duplicates() {
    return duplicates;
  }

  /**
   * Returns frames with a sequence number at or above the expected count.
   *
   * @return out-of-range count (only counted with an expected count)
   */
  public long outOfRange() {
    return outOfRange;
  }

  /**
   * Returns the next sequence number expected.
   *
   * @return one past the highest sequence number seen
   */
  public long nextExpected() {
    return nextExpected;
  }
}
