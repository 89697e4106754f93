package dev.panamax.impl.pci;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.panamax.impl.unsafe.Mmio;
import dev.panamax.impl.unsafe.PciControl;
import dev.panamax.impl.unsafe.PortIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One PCI device in sysfs ({@code <sysfsRoot>/bus/pci/devices/<address>}): reads its
 * configuration space, kernel driver and network interfaces, maps and opens its BARs, and hands
 * it to this process and back through the primitives of {@link PciControl} (unbind, bind, Bus
 * Master Enable). Parsing of configuration fields lives in {@link PciConfig}.
 *
 * <p>The sysfs root is a parameter so tests run against a fake tree. The address and driver
 * names are checked against their syntax before any path is built, so no path outside the
 * device's or driver's directory can be named. Every failure is an {@link UncheckedIOException}
 * whose message names the device and the step.
 */
public final class SysfsPci {
  /** The kernel's VFIO driver for PCI devices. */
  public static final String VFIO_PCI = "vfio-pci";

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
   * Opens the device at {@code address} under {@code sysfsRoot}; nothing is read or written yet.
   *
   * @param sysfsRoot {@code /sys}, or a fake tree in tests
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
   * Returns the sysfs root this handle works under.
   *
   * @return e.g. /sys
   */
  public Path sysfsRoot() {
    return sysfsRoot;
  }

  /**
   * Reads all of the configuration space the kernel exposes (64, 256 or 4096 bytes).
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
   * Sets Bus Master Enable, so the device may issue DMA; call it only after every DMA address
   * the device will see is programmed.
   */
  public void enableBusMaster() {
    try {
      PciControl.setBusMaster(sysfsRoot, address, true);
    } catch (IOException e) {
      throw failure("enable bus master", e);
    }
  }

  /**
   * Clears Bus Master Enable: the device can no longer issue DMA. Used before the memory a
   * device may still use is given back (on close, and after a crashed process left it running).
   */
  public void disableBusMaster() {
    try {
      PciControl.setBusMaster(sysfsRoot, address, false);
    } catch (IOException e) {
      throw failure("disable bus master", e);
    }
  }

  /**
   * Tells whether Bus Master Enable is set.
   *
   * @return {@code true} if the device may issue DMA
   */
  public boolean busMasterEnabled() {
    final byte[] config = readConfig();
    return config.length > 4 && (config[4] & 0x4) != 0;
  }

  /**
   * Returns the name of the kernel driver bound to the device.
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
   * Unbinds the kernel driver (writes the address to {@code driver/unbind}).
   *
   * @return the name of the driver that was bound (for {@link #bind}), or {@code null} if none
   */
  public @Nullable String unbind() {
    final String previous = driver();
    if (previous != null) {
      try {
        PciControl.unbind(sysfsRoot, address);
      } catch (IOException e) {
        throw failure("unbind from " + previous + " (write " + directory.resolve("driver/unbind")
            + ")", e);
      }
    }
    return previous;
  }

  /**
   * Binds the device to a kernel driver, e.g. to roll back {@link #unbind}, by writing the
   * address to {@code <sysfsRoot>/bus/pci/drivers/<driverName>/bind}.
   *
   * @param driverName e.g. "igb"
   */
  public void bind(String driverName) {
    if (!DRIVER.matcher(driverName).matches()) {
      throw new IllegalArgumentException(address + ": not a driver name: \"" + driverName + "\"");
    }
    try {
      PciControl.bind(sysfsRoot, address, driverName);
    } catch (IOException e) {
      throw failure("bind to " + driverName + " (write "
          + sysfsRoot.resolve("bus/pci/drivers").resolve(driverName).resolve("bind") + ")", e);
    }
  }

  /**
   * Maps a memory BAR, all of its {@code resourceN} file, into {@code arena} (a plain {@link
   * FileChannel#map(FileChannel.MapMode, long, long, Arena)}: unmapped when the arena closes).
   *
   * @param bar BAR number 0-5
   * @param arena owner of the mapping
   * @return the register window
   */
  public Mmio mapResource(int bar, Arena arena) {
    final Path file = resource(bar);
    try (FileChannel channel = FileChannel.open(file, READ, WRITE)) {
      if (channel.size() == 0) {
        throw new IOException("the BAR is empty");
      }
      return new Mmio(channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena));
    } catch (IOException e) {
      throw failure("map BAR " + bar + " (" + file + ")", e);
    }
  }

  /**
   * Opens an I/O BAR for port I/O.
   *
   * @param bar BAR number 0-5
   * @return the open BAR, its length the file size; close it when done
   */
  public IoBar openIoResource(int bar) {
    final Path file = resource(bar);
    try {
      final long length = Files.size(file);
      final FileChannel channel = FileChannel.open(file, READ, WRITE);
      return new IoBar(channel, new PortIo(channel, length, address), address);
    } catch (IOException e) {
      throw failure("open I/O BAR " + bar + " (" + file + ")", e);
    }
  }

  /**
   * Lists the kernel network interfaces of the device (entries of its {@code net} directory).
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

  /**
   * Binds the device to vfio-pci: {@code driver_override} names vfio-pci, the current driver is
   * unbound, the kernel probes the device, and the override is cleared again so that the
   * original driver can take it back later with {@link #bind}.
   *
   * @return the driver it had before, or {@code null}
   */
  public @Nullable String bindToVfio() {
    if (!Files.isDirectory(sysfsRoot.resolve("bus/pci/drivers/vfio-pci"))) {
      throw new UncheckedIOException(address + ": bind to vfio-pci failed: the vfio-pci driver is"
          + " not loaded; load it with 'modprobe vfio-pci'", new java.io.FileNotFoundException(
              sysfsRoot.resolve("bus/pci/drivers/vfio-pci").toString()));
    }
    final String previous = driver();
    if (VFIO_PCI.equals(previous)) {
      return previous;
    }
    try {
      PciControl.setDriverOverride(sysfsRoot, address, VFIO_PCI);
      try {
        unbind();
        PciControl.probe(sysfsRoot, address);
      } finally {
        PciControl.setDriverOverride(sysfsRoot, address, "");
      }
    } catch (IOException e) {
      throw failure("bind to vfio-pci", e);
    }
    if (!VFIO_PCI.equals(driver())) {
      throw failure("bind to vfio-pci", new IOException("the kernel bound " + driver()));
    }
    return previous;
  }

  /**
   * Gives the device to a kernel driver, unbinding the one it has first (e.g. vfio-pci).
   *
   * @param driverName e.g. "igb"
   */
  public void rebind(String driverName) {
    if (driverName.equals(driver())) {
      return;
    }
    unbind();
    bind(driverName);
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

  private UncheckedIOException failure(String step, IOException e) {
    return new UncheckedIOException(address + ": " + step + " failed: " + e, e);
  }
}
