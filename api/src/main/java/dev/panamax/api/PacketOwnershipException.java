package dev.panamax.api;

/**
 * A packet handle was used after its owner gave it away: used after send or free, freed or sent
 * twice, or used by code that only borrowed it. The message names the pool, the buffer and the
 * operation that consumed the handle.
 */
public class PacketOwnershipException extends PanamaxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the pool, buffer index, attempted operation and consuming operation
   */
  public PacketOwnershipException(String message) {
    super(message);
  }
}
