package dev.panamax.impl.vfio;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.panamax.impl.device.InterruptLine;
import dev.panamax.impl.unsafe.Mmio;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * One PCI device opened through VFIO: its group attached to the process's {@link VfioContainer},
 * and the device file descriptor through which its BARs are mapped, its configuration space is
 * read and written, and its interrupts are routed to eventfds (vfio.rst, "VFIO Usage Example").
 * The device must already be bound to vfio-pci.
 *
 * <p>Closing it closes the device descriptor, on which vfio-pci turns bus mastering off and
 * resets the function, then detaches the group; the container unmaps the DMA memory when its
 * last group goes. Close only after the driver stopped the device's DMA engines.
 */
public final class VfioDevice {
  static final long DEVICE_GET_REGION_INFO = 0x3B6C;
  static final long DEVICE_GET_IRQ_INFO = 0x3B6D;
  static final long DEVICE_SET_IRQS = 0x3B6E;
  /** VFIO_PCI_CONFIG_REGION_INDEX. */
  private static final int CONFIG_REGION = 7;
  private static final int REGION_INFO_FLAG_MMAP = 1 << 2;
  private static final int COMMAND = 0x04;
  private static final int BUS_MASTER = 1 << 2;

  private final String address;
  private final int group;
  private final VfioContainer container;
  private final int fd;
  private @Nullable InterruptLine removal;
  private boolean removalRequested;
  private boolean closed;

  private VfioDevice(String address, int group, VfioContainer container, int fd) {
    this.address = address;
    this.group = group;
    this.container = container;
    this.fd = fd;
  }

  /**
   * Starts linking the native calls this path makes, on a background thread, for a caller that
   * has chosen VFIO and has other work to do before its first call ({@link Sys#linkAhead}).
   */
  public static void linkCallsAhead() {
    Sys.linkAhead();
  }

  /**
   * Finds a device's IOMMU group in sysfs.
   *
   * @param sysfsRoot {@code /sys}
   * @param address the device
   * @return the group number, or -1 if the device has none (no IOMMU, or it is off)
   */
  public static int iommuGroup(Path sysfsRoot, String address) {
    final Path link = sysfsRoot.resolve("bus/pci/devices").resolve(address).resolve("iommu_group");
    try {
      return Files.isSymbolicLink(link)
          ? Integer.parseInt(String.valueOf(Files.readSymbolicLink(link).getFileName())) : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Opens a device bound to vfio-pci: attaches its group to the container and asks the group
   * for the device.
   *
   * @param sysfsRoot {@code /sys}
   * @param address the device
   * @param group its IOMMU group
   * @return the open device
   * @throws IOException with what failed and what to do
   */
  public static VfioDevice open(Path sysfsRoot, String address, int group) throws IOException {
    final VfioContainer container = VfioContainer.attach(group,
        sysfsRoot.resolve("kernel/iommu_groups/" + group + "/devices"));
    try (Arena arena = Arena.ofConfined()) {
      final int fd = Sys.ioctl(container.groupFd(group), VfioContainer.GROUP_GET_DEVICE_FD,
          arena.allocateFrom(address), "VFIO_GROUP_GET_DEVICE_FD");
      final VfioDevice device = new VfioDevice(address, group, container, fd);
      try {
        // Without it vfio-pci would block a hot removal until this process lets the device go.
        device.removal = VfioInterrupt.open(device, VfioInterrupt.REQ);
      } catch (IOException e) {
        device.removal = null; // a kernel without device requests: removal waits for close
      }
      return device;
    } catch (IOException | RuntimeException e) {
      container.detach(group);
      throw e;
    }
  }

  /**
   * Returns the DMA space of the device: the container.
   *
   * @return the container
   */
  public VfioContainer container() {
    return container;
  }

  /**
   * Returns the IOMMU group.
   *
   * @return the group number
   */
  public int group() {
    return group;
  }

  /**
   * Maps a memory BAR through the device descriptor (VFIO_DEVICE_GET_REGION_INFO gives its size
   * and offset; the region must allow mmap).
   *
   * @param bar BAR number 0-5
   * @param arena owner of the mapping
   * @return the register window
   * @throws IOException if the region cannot be mapped
   */
  public Mmio mapBar(int bar, Arena arena) throws IOException {
    final long[] region = regionInfo(bar);
    if (region[1] == 0) {
      throw new IOException("BAR " + bar + " is empty");
    }
    if ((region[0] & REGION_INFO_FLAG_MMAP) == 0) {
      throw new IOException("vfio-pci does not allow mapping BAR " + bar);
    }
    return new Mmio(Sys.mmap(fd, region[2], region[1], arena, "mmap BAR " + bar));
  }

  /**
   * Reads the first 256 bytes of configuration space (the standard header and capability list).
   *
   * @return the bytes
   * @throws IOException if the read fails
   */
  public byte[] readConfig() throws IOException {
    final long offset = regionInfo(CONFIG_REGION)[2];
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment bytes = arena.allocate(256);
      Sys.pread(fd, bytes, offset, "read configuration space");
      return bytes.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }
  }

  /**
   * Sets or clears Bus Master Enable in the Command register (PCI 3.0, 6.2.2) through VFIO's
   * configuration region.
   *
   * @param enable {@code true} to let the device issue DMA
   * @throws IOException if config space cannot be read or written
   */
  public void setBusMaster(boolean enable) throws IOException {
    final long offset = regionInfo(CONFIG_REGION)[2] + COMMAND;
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment command = arena.allocate(2);
      Sys.pread(fd, command, offset, "read the command register");
      final short value = command.get(JAVA_SHORT, 0);
      command.set(JAVA_SHORT, 0, (short) (enable ? value | BUS_MASTER : value & ~BUS_MASTER));
      Sys.pwrite(fd, command, offset, "write the command register");
    }
  }

  /**
   * Routes one of the device's interrupts to this process: MSI-X vector 0 when {@code msix} is
   * asked for and offered, else MSI, else the INTx line.
   *
   * @param msix {@code true} to prefer MSI-X (virtio), {@code false} to use MSI or INTx (the
   *     Intel drivers program no MSI-X table)
   * @return the interrupt, closed by the caller before the device
   * @throws IOException if the device offers none or VFIO refuses
   */
  public InterruptLine openInterrupt(boolean msix) throws IOException {
    return msix ? VfioInterrupt.open(this, VfioInterrupt.MSIX, VfioInterrupt.MSI, VfioInterrupt.INTX)
        : VfioInterrupt.open(this, VfioInterrupt.MSI, VfioInterrupt.INTX);
  }

  /**
   * Tells whether the kernel asked for the device back (vfio-pci's device request: the device is
   * being removed, or unbound by the administrator). Once true, stays true; the driver then
   * treats the device as gone and the application closes it, which lets the removal finish.
   * Cheap enough for the drivers' periodic status check: a poll of an eventfd with no wait.
   *
   * @return {@code true} once asked
   */
  public boolean removalRequested() {
    final InterruptLine line = removal;
    if (!removalRequested && line != null && !closed) {
      removalRequested = line.await(0);
    }
    return removalRequested;
  }

  /**
   * Returns the device file descriptor, for interrupt set-up in this package.
   *
   * @return the descriptor
   */
  int fd() {
    return fd;
  }

  /**
   * Returns the device address.
   *
   * @return e.g. 0000:01:00.0
   */
  public String address() {
    return address;
  }

  /**
   * Closes the device descriptor (vfio-pci then disables bus mastering and resets the function)
   * and detaches the group. Safe to call more than once.
   */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    final InterruptLine line = removal;
    if (line != null) {
      line.close();
    }
    Sys.closeQuietly(fd);
    container.detach(group);
  }

  /** struct vfio_region_info: {flags, size, offset}. */
  private long[] regionInfo(int index) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment info = arena.allocate(32, 8);
      info.set(JAVA_INT, 0, 32);
      info.set(JAVA_INT, 8, index);
      Sys.ioctl(fd, DEVICE_GET_REGION_INFO, info, "VFIO_DEVICE_GET_REGION_INFO " + index);
      return new long[] {info.get(JAVA_INT, 4), info.get(JAVA_LONG, 16), info.get(JAVA_LONG, 24)};
    }
  }
}
