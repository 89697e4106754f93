package dev.panamax.api;

/** A mempool had no free buffer for an allocation that required one. */
public class MempoolExhaustedException extends PanamaxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the pool name and its counters
   */
  public MempoolExhaustedException(String message) {
    super(message);
  }
}
