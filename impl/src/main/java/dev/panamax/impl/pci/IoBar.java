package dev.panamax.impl.pci;

import dev.panamax.impl.unsafe.PortIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;

/**
 * An open I/O BAR: its sysfs resource file and the port I/O primitives on it. The file belongs
 * to this object; close it after the last access.
 *
 * @param file the resource file, open for reading and writing
 * @param ports port I/O on that file, checked against the BAR length
 * @param device names the device in messages
 */
public record IoBar(FileChannel file, PortIo ports, String device) implements AutoCloseable {
  /**
   * Closes the resource file.
   *
   * @throws UncheckedIOException if the file cannot be closed, naming the device
   */
  @Override
  public void close() {
    try {
      file.close();
    } catch (IOException e) {
      throw new UncheckedIOException(device + ": cannot close the I/O BAR: " + e, e);
    }
  }
}
