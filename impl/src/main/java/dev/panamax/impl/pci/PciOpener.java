package dev.panamax.impl.pci;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaMode;
import dev.panamax.api.DmaSource;
import dev.panamax.api.PciAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import dev.panamax.impl.device.InterruptLine;
import dev.panamax.impl.dma.DmaSpace;
import dev.panamax.impl.unsafe.Mmio;
import dev.panamax.impl.vfio.VfioDevice;
import org.jspecify.annotations.Nullable;

/**
 * Opens a PCI NIC. Every check that can refuse the device runs before anything is written:
 * the device exists, is a network controller, is in the supported table, is not bound to a
 * user-space driver (unless the options name it), has no kernel interface that is up or has an
 * IP address (unbinding destroys the interface and its addresses with it), the
 * process is root, and DMA memory is hugepage memory. Then the device is claimed for this
 * process ({@link DeviceClaim}); only then is it unbound from its kernel driver. If a later step
 * fails, or when the device is closed, the driver is bound back and the claim given up.
 *
 * <p>Drivers depend on this package, never the reverse: {@link dev.panamax.impl.DefaultProvider}
 * runs {@link #check} and hands the {@link Context} to the driver of the device's family.
 */
public final class PciOpener {
  private PciOpener() {}

  /** What a driver needs to start: the device, its parsed config and the rollback hook. */
  public static final class Context {
    private final String address;
    private final SysfsPci sysfs;
    private PciConfig config;
    private final PciIds.Entry entry;
    private @Nullable String previousDriver;
    private boolean useVfio;
    private int iommuGroup = -1;
    private String dmaDescription = "";
    private @Nullable VfioDevice vfio;
    /**
     * Owns BARs mapped through VFIO. A mapping keeps the VFIO device open in the kernel, and
     * vfio-pci lets go of a device (to bind its kernel driver again) only when nothing maps it,
     * so {@link #release} unmaps them before it closes the device.
     */
    private @Nullable Arena vfioBars;
    private @Nullable InterruptLine interrupt;
    private @Nullable DeviceClaim claim;
    private @Nullable HandoverRecord record;

    Context(String address, SysfsPci sysfs, PciConfig config, PciIds.Entry entry) {
      this.address = address;
      this.sysfs = sysfs;
      this.config = config;
      this.entry = entry;
    }

    /**
     * Returns the canonical PCI address.
     *
     * @return e.g. 0000:00:10.0
     */
    public String address() {
      return address;
    }

    /**
     * Returns the sysfs handle.
     *
     * @return the device's sysfs primitives
     */
    public SysfsPci sysfs() {
      return sysfs;
    }

    /**
     * Returns the parsed configuration space.
     *
     * @return config
     */
    public PciConfig config() {
      return config;
    }

    /**
     * Tells whether the device is driven through VFIO and the IOMMU ({@link #attach}).
     *
     * @return {@code true} for VFIO, {@code false} for physical addresses
     */
    public boolean usesVfio() {
      return useVfio;
    }

    /**
     * Describes how the device reaches memory, for {@link dev.panamax.api.NetworkDevice#dmaDescription()}.
     *
     * @return e.g. "DMA through the IOMMU (vfio-pci, IOMMU group 3)"
     */
    public String dmaDescription() {
      return dmaDescription;
    }

    /**
     * Returns the DMA space the device's addresses live in.
     *
     * @return the VFIO container once attached through VFIO, else {@link DmaSpace#PHYSICAL}
     */
    public DmaSpace dmaSpace() {
      final VfioDevice device = vfio;
      return device != null ? device.container() : DmaSpace.PHYSICAL;
    }

    /**
     * Takes the device from its kernel driver for this process: on the physical path unbinds
     * it; on the VFIO path binds it to vfio-pci if it is not already, then opens it through its
     * IOMMU group (which no other process can hold at the same time) and re-reads the
     * configuration space through VFIO.
     *
     * @throws DeviceException at step "unbind kernel driver", "bind to vfio-pci" or "open
     *     through VFIO"
     */
    public void attach() {
      if (!useVfio) {
        unbindKernelDriver();
        return;
      }
      try {
        final String unbound = sysfs.bindToVfio();
        if (unbound != null && !SysfsPci.VFIO_PCI.equals(unbound)) {
          previousDriver = unbound;
        }
      } catch (UncheckedIOException e) {
        throw new DeviceException(address, "bind to vfio-pci", e.getMessage(), e);
      }
      try {
        final VfioDevice opened = VfioDevice.open(sysfs.sysfsRoot(), address, iommuGroup);
        vfio = opened;
        config = new PciConfig(opened.readConfig());
      } catch (IOException | RuntimeException e) {
        throw new DeviceException(address, "open through VFIO", String.valueOf(e.getMessage()), e);
      }
    }

    /**
     * Maps a memory BAR: from its sysfs resource file into {@code arena}, or through the VFIO
     * device into an arena of this context that {@link #release} closes (register access after
     * that throws {@link IllegalStateException}).
     *
     * @param bar BAR number 0-5
     * @param arena owner of the mapping on the physical path
     * @return the register window
     */
    public Mmio mapBar(int bar, Arena arena) {
      final VfioDevice device = vfio;
      if (device == null) {
        return sysfs.mapResource(bar, arena);
      }
      Arena bars = vfioBars;
      if (bars == null) {
        bars = Arena.ofShared();
        vfioBars = bars;
      }
      try {
        return device.mapBar(bar, bars);
      } catch (IOException e) {
        throw new UncheckedIOException(address + ": map BAR " + bar + " through VFIO failed: "
            + e.getMessage(), e);
      }
    }

    /**
     * Tells whether the kernel asked for a VFIO device back (it is being removed).
     *
     * @return {@code true} once asked; always {@code false} on the physical path
     */
    public boolean removalRequested() {
      final VfioDevice device = vfio;
      return device != null && device.removalRequested();
    }

    /**
     * Routes the device's interrupt to this process, once: only through VFIO (on the physical
     * path no interrupt can reach user space). {@link #release} closes it.
     *
     * @param msix {@code true} to prefer MSI-X (virtio), else MSI or INTx
     * @return the interrupt, or {@code null} on the physical path
     * @throws DeviceException at step "open interrupt" if VFIO refuses
     */
    public @Nullable InterruptLine openInterrupt(boolean msix) {
      final VfioDevice device = vfio;
      if (device == null) {
        return null;
      }
      if (interrupt == null) {
        try {
          interrupt = device.openInterrupt(msix);
        } catch (IOException e) {
          throw new DeviceException(address, "open interrupt", String.valueOf(e.getMessage()), e);
        }
      }
      return interrupt;
    }

    /**
     * Sets Bus Master Enable, through VFIO's configuration region or sysfs; call it only after
     * every DMA address the device will see is programmed.
     */
    public void enableBusMaster() {
      final VfioDevice device = vfio;
      if (device == null) {
        sysfs.enableBusMaster();
        return;
      }
      try {
        device.setBusMaster(true);
      } catch (IOException e) {
        throw new UncheckedIOException(address + ": enable bus master through VFIO failed: "
            + e.getMessage(), e);
      }
    }

    /**
     * Returns the table entry that matched.
     *
     * @return the supported-device entry
     */
    public PciIds.Entry entry() {
      return entry;
    }

    /**
     * As {@link #claim(Path, Path)}, looking for DMA files in the mounts of /proc/mounts.
     *
     * @param runDir where lock files and records live, e.g. {@code /run/panamax}
     */
    public void claim(Path runDir) {
      claim(runDir, Path.of("/proc/mounts"));
    }

    /**
     * Claims the device for this process ({@link DeviceClaim}) before anything is written to it,
     * then writes the {@link HandoverRecord} that outlives the process: the kernel driver to bind
     * back, and this process's PID. A record left by a process that died with the device open
     * is read first: its driver is the one to bind back, and {@link #needsRecovery()} tells.
     *
     * @param runDir where lock files and records live, e.g. {@code /run/panamax}
     * @param procMounts the mount table in which DMA files are looked for (/proc/mounts)
     * @throws DeviceException at step "claim device" if another opener has it or the record
     *     cannot be written
     */
    public void claim(Path runDir, Path procMounts) {
      if (claim != null) {
        return;
      }
      final DeviceClaim held = DeviceClaim.acquire(runDir, address);
      try {
        record = HandoverRecord.take(runDir, address, sysfs.driver(), procMounts);
        claim = held;
      } catch (RuntimeException e) {
        held.release();
        throw new DeviceException(address, "claim device", String.valueOf(e.getMessage()), e);
      }
    }

    /**
     * Tells whether a process died with this device open: its record or DMA files are left.
     *
     * @return {@code true} if {@link #recover} must run before the device is used
     */
    public boolean needsRecovery() {
      final HandoverRecord held = record;
      return held != null && held.isStale();
    }

    /** A family's reset of a device left running: stops every DMA engine or throws. */
    @FunctionalInterface
    public interface Reset {
      /**
       * Resets the device.
       *
       * @param context the claimed device
       */
      void reset(Context context);
    }

    /**
     * Makes a device left by a dead process safe, under the claim: unless a kernel driver has
     * taken it back (its probe resets it), clears Bus Master Enable, so the device can no
     * longer write to memory, and resets it; only then deletes the dead process's DMA files.
     *
     * @param reset the family's reset
     * @return what was done, one line
     * @throws DeviceException at step "recover" if the device cannot be reset; the files stay
     */
    public String recover(Reset reset) {
      final HandoverRecord held = record;
      if (held == null || !held.isStale()) {
        return "nothing to recover";
      }
      final String driver = sysfs.driver();
      final String stopped;
      try {
        if (driver == null) {
          sysfs.disableBusMaster();
          reset.reset(this);
          stopped = "bus mastering off, device reset";
        } else if (SysfsPci.VFIO_PCI.equals(driver)) {
          stopped = "vfio-pci stopped it when that process died (bus mastering off, function reset)";
        } else {
          stopped = "bound to " + driver + " again, whose probe reset it";
        }
      } catch (RuntimeException e) {
        throw new DeviceException(address, "recover", "the device left by " + held.describeDead()
            + " could not be stopped, its DMA memory stays reserved: "
            + (e instanceof DeviceException d ? d.getMessage() : String.valueOf(e)), e);
      }
      return "recovered the device left by " + held.describeDead() + ": " + stopped + ", "
          + held.deleteStaleFiles();
    }

    /**
     * As {@link #release()}, for a device that is being closed: a step that failed is reported
     * on standard error, since close cannot throw.
     */
    public void releaseOnClose() {
      final String note = release();
      if (!note.isEmpty()) {
        System.err.println("panamax: " + address + ": close:" + note);
      }
    }

    /**
     * Hands the device back after it was stopped (on close) or after a failed open: clears Bus
     * Master Enable if no kernel driver has the device, deletes this process's DMA files, binds
     * the kernel driver it had, deletes the handover record and gives up the claim. Never
     * throws; safe to call more than once. When bus mastering cannot be turned off, the files
     * and the record stay for the next claim to recover.
     *
     * @return a note for messages if a step failed, or an empty string
     */
    public String release() {
      final DeviceClaim held = claim;
      final HandoverRecord handover = record;
      final VfioDevice device = vfio;
      if (device != null) {
        final InterruptLine line = interrupt;
        interrupt = null;
        if (line != null) {
          line.close();
        }
        final Arena bars = vfioBars;
        vfioBars = null;
        if (bars != null) {
          bars.close();
        }
        // vfio-pci turns bus mastering off and resets the function when its descriptor closes;
        // the container drops the IOMMU mappings with its last group.
        device.close();
        vfio = null;
      }
      if (held == null || handover == null || !held.isHeld()) {
        return restoreKernelDriver();
      }
      String note = "";
      boolean stopped = true;
      try {
        if (sysfs.driver() == null) {
          sysfs.disableBusMaster();
        }
      } catch (RuntimeException e) {
        stopped = false;
        note = " (and disabling bus mastering failed, DMA memory kept until the next claim: "
            + e.getMessage() + ")";
      }
      if (stopped) {
        note += handover.deleteOwnFiles();
      }
      note += restoreKernelDriver();
      if (stopped && note.isEmpty()) {
        note = handover.delete();
      }
      held.release();
      return note;
    }

    /**
     * Unbinds the kernel driver, remembering it for {@link #restoreKernelDriver()}.
     */
    public void unbindKernelDriver() {
      try {
        final String unbound = sysfs.unbind();
        if (unbound != null) {
          previousDriver = unbound;
        }
      } catch (UncheckedIOException e) {
        throw new DeviceException(address, "unbind kernel driver", e.getMessage(), e);
      }
    }

    /**
     * Binds the kernel driver the device had before it was first claimed (from the handover
     * record, which survives a crashed holder), else the one this context unbound. Never throws:
     * used on error paths and on close, where the original failure matters more.
     *
     * @return a note for messages if rebinding failed, or an empty string
     */
    public String restoreKernelDriver() {
      final HandoverRecord handover = record;
      final String driver = handover != null ? handover.originalDriver() : previousDriver;
      previousDriver = null;
      if (driver == null || driver.equals(sysfs.driver())) {
        return "";
      }
      try {
        sysfs.rebind(driver);
        return "";
      } catch (RuntimeException e) {
        return " (and rebinding " + driver + " failed: " + e.getMessage() + ")";
      }
    }
  }

  /**
   * Runs every check that can refuse a device, touching nothing.
   *
   * @param address the PCI address
   * @param options the options (their DMA source must be hugepages)
   * @param sysfsRoot sysfs root
   * @return the context for the driver
   * @throws DeviceException naming the device and the check that failed
   */
  public static Context check(PciAddress address, DeviceOptions options, Path sysfsRoot) {
    return check(address, options, sysfsRoot, PciOpener::addressesOf);
  }

  /**
   * Looks up the IP addresses of a kernel network interface; tests replace it.
   */
  @FunctionalInterface
  public interface AddressLookup {
    /**
     * Lists the addresses.
     *
     * @param iface interface name, e.g. eth0
     * @return addresses with prefix length, e.g. "10.9.0.1/24"; empty if none
     */
    List<String> addresses(String iface);
  }

  /**
   * As {@link #check(PciAddress, DeviceOptions, Path)}, with the interface address lookup given.
   *
   * @param address the PCI address
   * @param options the options (their DMA source must be hugepages)
   * @param sysfsRoot sysfs root
   * @param lookup the IP addresses of a kernel interface
   * @return the context for the driver
   * @throws DeviceException naming the device and the check that failed
   */
  public static Context check(PciAddress address, DeviceOptions options, Path sysfsRoot,
      AddressLookup lookup) {
    final Context context = inspect(address, sysfsRoot);
    final String name = context.address();
    final SysfsPci sysfs = context.sysfs();
    final Path directory = sysfs.directory();
    final String driver = sysfs.driver();
    chooseDma(context, options, sysfsRoot);
    final boolean vfioHolds = context.usesVfio() && SysfsPci.VFIO_PCI.equals(driver);
    if (driver != null && DeviceOptions.USER_SPACE_DRIVERS.contains(driver) && !vfioHolds
        && !driver.equals(options.takeOverFrom())) {
      throw new DeviceException(name, "check kernel driver", "bound to " + driver + ", which"
          + " hands the device to a user-space program (DPDK, a VM, another driver) that may be"
          + " using it; to take it anyway, ask for exactly that: --take-over-from " + driver
          + " (DeviceOptions.withTakeOverFrom(\"" + driver + "\"))");
    }
    final List<String> up = interfacesUp(directory);
    if (!up.isEmpty()) {
      throw new DeviceException(name, "check kernel interface", "interface " + String.join(", ", up)
          + " is up and may be in use; take it down first ('ip link set " + up.get(0)
          + " down') or choose another device");
    }
    for (Path iface : interfaces(directory)) {
      final String ifname = String.valueOf(iface.getFileName());
      final List<String> addresses = lookup.addresses(ifname);
      if (!addresses.isEmpty()) {
        throw new DeviceException(name, "check kernel interface", "interface " + ifname
            + " is down but has " + (addresses.size() == 1 ? "address " : "addresses ")
            + String.join(", ", addresses) + ", which would be lost when the device leaves its"
            + " kernel driver; clear " + (addresses.size() == 1 ? "it" : "them") + " first ('ip"
            + " addr flush dev " + ifname + "') or choose another device");
      }
    }
    if (!(options.dmaSource() instanceof DmaSource.Hugepages)) {
      throw new DeviceException(name, "check DMA memory",
          "a PCI device needs DMA memory it can reach: use DmaSource.hugepages(), not "
              + options.dmaSource());
    }
    if (!vfioHolds) {
      checkRoot(name, context.usesVfio()
          ? "binding the device to vfio-pci needs root; or, as root, grant it to this user once:"
              + " ./panamax bind " + name + " --user NAME"
          : "unbinding a kernel driver, mapping BARs and reading physical addresses need root");
    }
    if (context.usesVfio()) {
      VfioDevice.linkCallsAhead(); // while the device is claimed, given DMA memory and bound
    }
    return context;
  }

  /**
   * Chooses VFIO or physical addresses for the device, from the options and what the machine
   * offers: an IOMMU group, the vfio-pci driver, a device that uses the IOMMU (legacy virtio
   * bypasses it; a modern virtio device bound to virtio_pci shows VIRTIO_F_ACCESS_PLATFORM in
   * its features file).
   */
  static void chooseDma(Context context, DeviceOptions options, Path sysfsRoot) {
    final String name = context.address();
    if (options.dma() == DmaMode.PHYSICAL) {
      context.useVfio = false;
      context.dmaDescription = "DMA with physical addresses, not confined by an IOMMU: --dma physical";
      return;
    }
    final int group = VfioDevice.iommuGroup(sysfsRoot, name);
    final String obstacle = vfioObstacle(context, group, sysfsRoot);
    if (obstacle == null) {
      context.useVfio = true;
      context.iommuGroup = group;
      context.dmaDescription = "DMA through the IOMMU: vfio-pci, IOMMU group " + group;
    } else if (options.dma() == DmaMode.VFIO) {
      throw new DeviceException(name, "choose DMA mode", "--dma vfio is not possible: " + obstacle
          + "; --dma physical uses physical addresses instead (as root, unconfined)");
    } else {
      context.useVfio = false;
      context.dmaDescription = "warning: DMA with physical addresses, not confined by an IOMMU,"
          + " because " + obstacle + " (--dma physical accepts this without the warning)";
    }
  }

  /** Why VFIO cannot drive the device, or {@code null} if it can. */
  static @Nullable String vfioObstacle(Context context, int group, Path sysfsRoot) {
    final PciIds.Family family = context.entry().family();
    if (family == PciIds.Family.VIRTIO_LEGACY) {
      return "a legacy virtio device bypasses the IOMMU (it has no VIRTIO_F_ACCESS_PLATFORM)";
    }
    if (group < 0) {
      return "the device has no IOMMU group (no IOMMU, or it is off: intel_iommu=on or"
          + " amd_iommu=on on the kernel command line)";
    }
    if (!Files.isDirectory(sysfsRoot.resolve("bus/pci/drivers/vfio-pci"))
        && !SysfsPci.VFIO_PCI.equals(context.sysfs().driver())) {
      return "the vfio-pci driver is not loaded (modprobe vfio-pci)";
    }
    if (family == PciIds.Family.VIRTIO_MODERN && !virtioUsesIommu(context.sysfs().directory())) {
      return "the virtio device does not offer VIRTIO_F_ACCESS_PLATFORM, so it bypasses the IOMMU"
          + " (QEMU: iommu_platform=on)";
    }
    return null;
  }

  /**
   * Reads VIRTIO_F_ACCESS_PLATFORM (bit 33) from the features file virtio_pci exposes
   * ({@code virtioN/features}, one '0' or '1' per bit); without a bound virtio_pci the bits are
   * unknown and the driver checks them when it negotiates.
   */
  private static boolean virtioUsesIommu(Path directory) {
    try (Stream<Path> children = Files.list(directory)) {
      for (Path child : children.filter(c -> String.valueOf(c.getFileName()).startsWith("virtio")).toList()) {
        final Path features = child.resolve("features");
        if (Files.isReadable(features)) {
          final String bits = Files.readString(features).strip();
          return bits.length() > 33 && bits.charAt(33) == '1';
        }
      }
    } catch (IOException e) {
      return true;
    }
    return true;
  }

  /**
   * Finds the device and its driver family, touching nothing: the device exists, is a network
   * controller and is in the supported table.
   *
   * @param address the PCI address
   * @param sysfsRoot sysfs root
   * @return the context
   * @throws DeviceException naming the device and the check that failed
   */
  public static Context inspect(PciAddress address, Path sysfsRoot) {
    final String name = address.toString();
    final Path directory = sysfsRoot.resolve("bus/pci/devices").resolve(name);
    if (!Files.isDirectory(directory)) {
      throw new DeviceException(name, "find device", "no such PCI device (" + directory
          + " does not exist); list devices with 'lspci -D' or 'ls /sys/bus/pci/devices'");
    }
    final SysfsPci sysfs = SysfsPci.of(sysfsRoot, name);
    final PciConfig config;
    try {
      config = new PciConfig(sysfs.readConfig());
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new DeviceException(name, "read configuration space", e.getMessage(), e);
    }
    if (config.baseClass() != PciConfig.CLASS_NETWORK) {
      throw new DeviceException(name, "check device class", config.describeClass()
          + " is not a network controller; refusing to touch it");
    }
    final PciIds.Entry entry = PciIds.find(config.vendorId(), config.deviceId()).orElseThrow(
        () -> new DeviceException(name, "select driver", String.format(
            "unsupported device %04x:%04x; supported: %s",
            config.vendorId(), config.deviceId(), PciIds.supported())));
    return new Context(name, sysfs, config, entry);
  }

  /**
   * Refuses a process that is not root.
   *
   * @param address the device, for the message
   * @throws DeviceException at step "check privileges"
   */
  public static void checkRoot(String address) {
    checkRoot(address, "unbinding a kernel driver, mapping BARs and reading physical addresses need root");
  }

  private static void checkRoot(String address, String why) {
    final int uid = effectiveUid();
    if (uid != 0) {
      throw new DeviceException(address, "check privileges", "running as uid " + uid + "; " + why);
    }
  }

  /**
   * Finds kernel network interfaces of the device that are administratively up: those of
   * {@link #interfaces} whose {@code flags} file has IFF_UP (0x1) set.
   *
   * @param directory the device's sysfs directory
   * @return names of interfaces that are up
   */
  static List<String> interfacesUp(Path directory) {
    final List<String> up = new ArrayList<>();
    for (Path iface : interfaces(directory)) {
      final Path flags = iface.resolve("flags");
      try {
        if (Files.isReadable(flags) && (Long.decode(Files.readString(flags).strip()) & 0x1) != 0) {
          up.add(String.valueOf(iface.getFileName()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return up;
  }

  /**
   * Finds the kernel network interfaces of the device: entries of {@code net/} and of {@code
   * <child>/net/} (virtio puts them under {@code virtioN/net/}).
   *
   * @param directory the device's sysfs directory
   * @return the interfaces' sysfs directories
   */
  static List<Path> interfaces(Path directory) {
    final List<Path> found = new ArrayList<>();
    final List<Path> netDirs = new ArrayList<>();
    netDirs.add(directory.resolve("net"));
    try (Stream<Path> children = Files.list(directory)) {
      children.filter(Files::isDirectory).map(c -> c.resolve("net")).forEach(netDirs::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path net : netDirs) {
      if (!Files.isDirectory(net)) {
        continue;
      }
      try (Stream<Path> interfaces = Files.list(net)) {
        interfaces.sorted().forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  /**
   * The IPv4 and IPv6 addresses of a kernel interface, up or down, from the JDK's {@link
   * NetworkInterface}. On Linux the JDK reads IPv4 addresses with the SIOCGIFCONF ioctl and IPv6
   * addresses from /proc/net/if_inet6; both list the addresses of an interface that is down.
   * Not /proc/net/fib_trie: the kernel removes a down interface's local routes, and with them
   * its addresses from that file; not {@code ip addr}: iproute2 may not be installed. No native
   * call of Panamax's own is involved.
   *
   * @param iface interface name
   * @return addresses as "address/prefix", without IPv6 scope suffixes; empty if none
   */
  static List<String> addressesOf(String iface) {
    final NetworkInterface nif;
    try {
      nif = NetworkInterface.getByName(iface);
    } catch (SocketException e) {
      throw new UncheckedIOException("cannot read the addresses of interface " + iface, e);
    }
    if (nif == null) {
      return List.of();
    }
    final List<String> addresses = new ArrayList<>();
    for (InterfaceAddress a : nif.getInterfaceAddresses()) {
      final String host = a.getAddress().getHostAddress();
      final int scope = host.indexOf('%');
      addresses.add((scope < 0 ? host : host.substring(0, scope)) + "/" + a.getNetworkPrefixLength());
    }
    return addresses;
  }

  /**
   * Reads the effective user ID from {@code /proc/self/status}.
   *
   * @return the effective uid, or -1 if unknown
   */
  static int effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.split("\\s+")[2]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
