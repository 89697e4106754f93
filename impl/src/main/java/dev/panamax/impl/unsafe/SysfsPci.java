package dev.panamax.impl.unsafe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Raw control of one PCI device through sysfs ({@code <sysfsRoot>/bus/pci/devices/<address>}):
 * configuration space bytes, Bus Master Enable, unbinding the kernel driver and binding it back,
 * mapping BARs. Only I/O primitives live here; parsing of configuration fields does not.
 *
 * <p>The sysfs root is a parameter so tests run against a fake tree. The address is checked
 * against the PCI address syntax, so no path outside the device's directory can be named.
 * Every failure is an {@link UncheckedIOException} whose message names the device and the step.
 */
public final class SysfsPci {
  /** The real sysfs root. */
  public static final Path SYSFS = Path.of("/sys");

  /** Command register offset in configuration space (PCI Local Bus spec 3.0, 6.2.2). */
  private static final int COMMAND = 0x04;

  /** Bus Master Enable, bit 2 of the Command register. */
  private static final int BUS_MASTER = 1 << 2;

  private static final Pattern ADDRESS =
      Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
  private static final Pattern DRIVER = Pattern.compile("[A-Za-z0-9_.-]+");

  private final Path sysfsRoot;
  private final Path directory;
  private final String address;

  private SysfsPci(Path sysfsRoot, String address) {
    this.sysfsRoot = sysfsRoot;
    this.directory = sysfsRoot.resolve("bus/pci/devices").resolve(address);
    this.address = address;
  }

  /**
   * Opens the device at {@code address} under {@code sysfsRoot}. Sound: only checks names;
   * nothing is read or written yet.
   *
   * @param sysfsRoot {@link #SYSFS}, or a fake tree in tests
   * @param address e.g. "0000:00:04.0" (lower-case hex, as sysfs spells it)
   * @return the device handle
   * @throws IllegalArgumentException if the address is malformed
   * @throws UncheckedIOException if the device directory does not exist
   */
  public static SysfsPci of(Path sysfsRoot, String address) {
    if (!ADDRESS.matcher(address).matches()) {
      throw new IllegalArgumentException(
          "not a PCI address: \"" + address + "\" (expected e.g. 0000:00:04.0)");
    }
    final SysfsPci device = new SysfsPci(sysfsRoot, address);
    if (!Files.isDirectory(device.directory)) {
      throw new UncheckedIOException(
          address + ": open: no such device directory " + device.directory,
          new java.io.FileNotFoundException(device.directory.toString()));
    }
    return device;
  }

  /**
   * Returns the PCI address.
   *
   * @return e.g. "0000:00:04.0"
   */
  public String address() {
    return address;
  }

  /**
   * Returns the device's sysfs directory.
   *
   * @return {@code <sysfsRoot>/bus/pci/devices/<address>}
   */
  public Path directory() {
    return directory;
  }

  /**
   * Reads {@code length} bytes of configuration space from {@code offset}. Sound: a positional
   * read of the {@code config} file; reading has no side effect on a PCI function's config space.
   *
   * @param offset byte offset
   * @param length bytes to read
   * @return the bytes; shorter only if the file ends first
   */
  public byte[] readConfig(int offset, int length) {
    if (offset < 0 || length < 0) {
      throw new IndexOutOfBoundsException(address + ": config range " + offset + "+" + length);
    }
    final Path config = directory.resolve("config");
    try (FileChannel channel = FileChannel.open(config, StandardOpenOption.READ)) {
      final ByteBuffer bytes = ByteBuffer.allocate(length);
      int n = 0;
      while (bytes.hasRemaining() && n >= 0) {
        n = channel.read(bytes, offset + bytes.position());
      }
      return java.util.Arrays.copyOf(bytes.array(), bytes.position());
    } catch (IOException e) {
      throw failure("read config at 0x" + Integer.toHexString(offset), e);
    }
  }

  /**
   * Reads all of the configuration space the kernel exposes (64, 256 or 4096 bytes).
   * Sound: as {@link #readConfig(int, int)}.
   *
   * @return the bytes
   */
  public byte[] readConfig() {
    try {
      return Files.readAllBytes(directory.resolve("config"));
    } catch (IOException e) {
      throw failure("read config", e);
    }
  }

  /**
   * Writes bytes to configuration space at {@code offset}. Sound as far as memory goes: the
   * kernel checks the range; what the write does to the device is the caller's responsibility,
   * which is why this lives in the unsafe package.
   *
   * @param offset byte offset
   * @param bytes the bytes
   */
  public void writeConfig(int offset, byte[] bytes) {
    if (offset < 0) {
      throw new IndexOutOfBoundsException(address + ": config offset " + offset);
    }
    final Path config = directory.resolve("config");
    try (FileChannel channel = FileChannel.open(config, StandardOpenOption.WRITE)) {
      final ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer, offset + buffer.position());
      }
    } catch (IOException e) {
      throw failure("write config at 0x" + Integer.toHexString(offset), e);
    }
  }

  /**
   * Sets Bus Master Enable (bit 2 of the Command register, offset 0x04), so the device may
   * issue DMA. Sound as far as this process's memory goes (a read-modify-write of two config
   * bytes); call it only after every DMA address the device will see is programmed from a
   * {@link DmaMemory}.
   */
  public void enableBusMaster() {
    final byte[] command = readConfig(COMMAND, 2);
    if (command.length != 2) {
      throw failure("enable bus master", new IOException("config space too short"));
    }
    command[0] = (byte) (command[0] | BUS_MASTER);
    writeConfig(COMMAND, command);
  }

  /**
   * Returns the name of the kernel driver bound to the device. Sound: reads a link.
   *
   * @return e.g. "igb", or {@code null} if no driver is bound
   */
  public @Nullable String driver() {
    final Path link = directory.resolve("driver");
    if (!Files.isSymbolicLink(link)) {
      return null;
    }
    try {
      return String.valueOf(Files.readSymbolicLink(link).getFileName());
    } catch (IOException e) {
      throw failure("read driver link", e);
    }
  }

  /**
   * Unbinds the kernel driver by writing the address to {@code driver/unbind}. Sound for this
   * process; the device stops serving the kernel, which is why this is here.
   *
   * @return the name of the driver that was bound (for {@link #bind}), or {@code null} if none
   */
  public @Nullable String unbind() {
    final String previous = driver();
    if (previous != null) {
      writeAddress(directory.resolve("driver/unbind"), "unbind from " + previous);
    }
    return previous;
  }

  /**
   * Binds the device to a kernel driver, e.g. to roll back {@link #unbind}, by writing the
   * address to {@code <sysfsRoot>/bus/pci/drivers/<driverName>/bind}. Sound: as {@link #unbind}.
   *
   * @param driverName e.g. "igb"
   */
  public void bind(String driverName) {
    if (!DRIVER.matcher(driverName).matches()) {
      throw new IllegalArgumentException(address + ": not a driver name: \"" + driverName + "\"");
    }
    writeAddress(
        sysfsRoot.resolve("bus/pci/drivers").resolve(driverName).resolve("bind"),
        "bind to " + driverName);
  }

  /**
   * Maps a memory BAR (size = size of its {@code resourceN} file). Sound: see
   * {@link Mmio#map}.
   *
   * @param bar BAR number 0–5
   * @param arena owner of the mapping
   * @return the register window
   */
  public Mmio mapResource(int bar, Arena arena) {
    final Path file = resource(bar);
    try {
      return Mmio.map(file, Files.size(file), arena, address);
    } catch (IOException e) {
      throw failure("map BAR " + bar, e);
    }
  }

  /**
   * Opens an I/O BAR for port I/O. Sound: see {@link PortIo}.
   *
   * @param bar BAR number 0–5
   * @return the port window; close it when done
   */
  public PortIo openIoResource(int bar) {
    return PortIo.open(resource(bar), address);
  }

  /**
   * Lists the kernel network interfaces of the device (entries of its {@code net} directory).
   * Sound: reads a directory.
   *
   * @return interface names, sorted; empty if the kernel driver made none
   */
  public List<String> netInterfaces() {
    final Path net = directory.resolve("net");
    if (!Files.isDirectory(net)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(net)) {
      return entries.map(p -> String.valueOf(p.getFileName())).sorted().toList();
    } catch (IOException e) {
      throw failure("list net interfaces", e);
    }
  }

  @Override
  public String toString() {
    return "SysfsPci[" + directory + "]";
  }

  private Path resource(int bar) {
    if (bar < 0 || bar > 5) {
      throw new IllegalArgumentException(address + ": BAR number must be 0-5, not " + bar);
    }
    final Path file = directory.resolve("resource" + bar);
    if (!Files.exists(file)) {
      throw failure("open BAR " + bar, new java.io.FileNotFoundException(file.toString()));
    }
    return file;
  }

  private void writeAddress(Path file, String step) {
    try {
      Files.write(file, address.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw failure(step + " (write " + file + ")", e);
    }
  }

  private UncheckedIOException failure(String step, IOException e) {
    return new UncheckedIOException(address + ": " + step + " failed: " + e, e);
  }
}
