package dev.panamax.api;

import org.jspecify.annotations.Nullable;

/**
 * A device could not be opened, configured or driven. The message always names the device and
 * the step that failed, e.g. {@code "0000:00:04.0: unbind from kernel driver: permission denied"}.
 * A device spec longer than 80 characters is cut in the message, with its length appended
 * ({@code "null:aaaa…(10240 chars)"}); {@link #device()} returns it whole.
 */
public class DeviceException extends PanamaxException {
  private static final long serialVersionUID = 1L;
  /** The device spec or PCI address, whole. */
  private final String device;
  /** The step that failed. */
  private final String step;

  /**
   * Creates the exception.
   *
   * @param device the device spec or PCI address
   * @param step the step that failed, in a few words
   * @param detail what happened
   */
  public DeviceException(String device, String step, String detail) {
    this(device, step, detail, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param device the device spec or PCI address
   * @param step the step that failed, in a few words
   * @param detail what happened
   * @param cause the underlying failure
   */
  public DeviceException(String device, String step, String detail, @Nullable Throwable cause) {
    super(Texts.echo(device) + ": " + step + ": " + detail, cause);
    this.device = device;
    this.step = step;
  }

  /**
   * Returns the device spec or PCI address.
   *
   * @return the device this failure concerns
   */
  public String device() {
    return device;
  }

  /**
   * Returns the step that failed.
   *
   * @return a few words naming the step
   */
  public String step() {
    return step;
  }
}
