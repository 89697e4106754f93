package dev.panamax.impl.unsafe;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sysfs writes that hand a PCI device from its kernel driver to this process and back, and
 * let it issue DMA ({@code <sysfsRoot>/bus/pci/...}). The caller ({@code
 * dev.panamax.impl.pci.SysfsPci}) has checked the PCI address and driver name against their
 * syntax, so no path outside the device's or driver's directory can be named; it turns each
 * {@link IOException} into a message naming the device and the step.
 */
public final class PciControl {
  /** Command register offset in configuration space (PCI Local Bus spec 3.0, 6.2.2). */
  private static final int COMMAND = 0x04;

  /** Bus Master Enable, bit 2 of the Command register. */
  private static final int BUS_MASTER = 1 << 2;

  private PciControl() {}

  /**
   * Unbinds the device's kernel driver by writing its address to {@code driver/unbind} in its
   * directory. Sound for this process's memory; the device stops serving the kernel, which is
   * why this is here.
   *
   * @param sysfsRoot {@code /sys}, or a fake tree in tests
   * @param address the device, e.g. "0000:00:04.0"
   * @throws IOException if the kernel refuses
   */
  public static void unbind(Path sysfsRoot, String address) throws IOException {
    final Path unbind = sysfsRoot.resolve("bus/pci/devices").resolve(address).resolve("driver/unbind");
    Files.writeString(unbind, address, WRITE);
  }

  /**
   * Binds the device to a kernel driver by writing its address to that driver's {@code bind}
   * file. Sound: as {@link #unbind}; the device goes back to the kernel.
   *
   * @param sysfsRoot {@code /sys}, or a fake tree in tests
   * @param address the device
   * @param driver the kernel driver, e.g. "igb"
   * @throws IOException if the kernel refuses (the file is never created)
   */
  public static void bind(Path sysfsRoot, String address, String driver) throws IOException {
    final Path bind = sysfsRoot.resolve("bus/pci/drivers").resolve(driver).resolve("bind");
    Files.writeString(bind, address, WRITE);
  }

  /**
   * Makes the next probe of the device pick only {@code driver}, or any driver again when it is
   * empty, by writing {@code driver_override} (ABI sysfs-bus-pci). Sound: as {@link #unbind};
   * it names which kernel driver may take the device, nothing else.
   *
   * @param sysfsRoot {@code /sys}, or a fake tree in tests
   * @param address the device
   * @param driver e.g. "vfio-pci", or "" to clear
   * @throws IOException if the kernel refuses
   */
  public static void setDriverOverride(Path sysfsRoot, String address, String driver) throws IOException {
    Files.writeString(sysfsRoot.resolve("bus/pci/devices").resolve(address).resolve("driver_override"),
        driver.isEmpty() ? "\n" : driver, WRITE);
  }

  /**
   * Asks the kernel to probe drivers for an unbound device ({@code /sys/bus/pci/drivers_probe}).
   * Sound: as {@link #bind}.
   *
   * @param sysfsRoot {@code /sys}, or a fake tree in tests
   * @param address the device
   * @throws IOException if the kernel refuses
   */
  public static void probe(Path sysfsRoot, String address) throws IOException {
    Files.writeString(sysfsRoot.resolve("bus/pci/drivers_probe"), address, WRITE);
  }

  /**
   * Sets or clears Bus Master Enable (bit 2 of the Command register): set, the device may issue
   * DMA; clear, it may not (a device left running by a process that died stops at once). Sound
   * as far as this process's memory goes (a read-modify-write of the two Command register bytes
   * in the {@code config} file); set it only after every DMA address the device will see is
   * programmed through {@link BusAddresses}.
   *
   * @param sysfsRoot {@code /sys}, or a fake tree in tests
   * @param address the device
   * @param enable {@code true} to set the bit, {@code false} to clear it
   * @throws IOException if config space cannot be read or written
   */
  public static void setBusMaster(Path sysfsRoot, String address, boolean enable) throws IOException {
    final Path config = sysfsRoot.resolve("bus/pci/devices").resolve(address).resolve("config");
    try (FileChannel channel = FileChannel.open(config, READ, WRITE)) {
      final ByteBuffer command = ByteBuffer.allocate(2);
      if (channel.read(command, COMMAND) != 2) {
        throw new IOException("config space too short");
      }
      command.put(0, (byte) (enable ? command.get(0) | BUS_MASTER : command.get(0) & ~BUS_MASTER)).flip();
      if (channel.write(command, COMMAND) != 2) {
        throw new IOException("short write of the command register");
      }
    }
  }
}
