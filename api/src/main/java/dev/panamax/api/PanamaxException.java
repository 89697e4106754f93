package dev.panamax.api;

import org.jspecify.annotations.Nullable;

/** Base of every exception Panamax throws on purpose. */
public class PanamaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong, naming the device or pool and the step
   */
  public PanamaxException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong, naming the device or pool and the step
   * @param cause the underlying failure
   */
  public PanamaxException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
