package dev.panamax.impl.device;

/**
 * A device interrupt delivered to this process (through VFIO and an eventfd), for receivers that
 * sleep instead of polling. The driver arms the device's interrupt cause, waits here, then
 * clears the cause and calls {@link #rearm()}.
 */
public interface InterruptLine {
  /**
   * Sleeps until the interrupt fired or the time is up.
   *
   * @param timeoutMillis at most this long, 0 to check without waiting
   * @return {@code true} if it fired
   */
  boolean await(int timeoutMillis);

  /** Lets the line fire again (a level-triggered INTx line is masked after each interrupt). */
  void rearm();

  /** Routes the interrupt away from this process and frees the eventfd; idempotent. */
  void close();

  /**
   * Names the interrupt for messages.
   *
   * @return e.g. "INTx through VFIO"
   */
  String describe();
}
