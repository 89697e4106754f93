package dev.panamax.examples;

import dev.panamax.api.NetworkDevice;
import dev.panamax.api.PacketBatch;

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
    this.device = device;
    this.batch = new PacketBatch(batchSize);
  }

  /**
   * Receives and checks one batch.
   *
   * @return packets received in this step
   */
  public int step() {
    final int n = device.rxBatch(0, batch, batch.capacity());
    for (int i = 0; i < n; i++) {
      final long seq = TestFrame.verify(batch.get(i));
      if (seq < 0) {
        corrupt++;
      } else {
        valid++;
        if (seq < nextExpected) {
          reordered++;
        } else {
          gaps += seq - nextExpected;
          nextExpected = seq + 1;
        }
      }
    }
    batch.freeAll();
    return n;
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
   * Returns the next sequence number expected.
   *
   * @return one past the highest sequence number seen
   */
  public long nextExpected() {
    return nextExpected;
  }
}
