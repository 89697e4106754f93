package dev.panamax.impl.dma;

import org.jspecify.annotations.Nullable;

/**
 * DMA memory could not be allocated or translated; the message says why and what to do.
 */
public final class DmaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the reason and the remedy
   */
  public DmaException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message the reason and the remedy
   * @param cause the underlying failure
   */
  public DmaException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
