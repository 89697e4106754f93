package dev.panamax.impl.pci;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaSource;
import dev.panamax.api.PciAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
    private final PciConfig config;
    private final PciIds.Entry entry;
    private @Nullable String previousDriver;
    private @Nullable DeviceClaim claim;

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
     * Returns the table entry that matched.
     *
     * @return the supported-device entry
     */
    public PciIds.Entry entry() {
      return entry;
    }

    /**
     * Claims the device for this process ({@link DeviceClaim}) before anything is written to it.
     *
     * @param runDir where lock files live, e.g. {@code /run/panamax}
     * @throws DeviceException at step "claim device" if another opener has it
     */
    public void claim(Path runDir) {
      if (claim == null) {
        claim = DeviceClaim.acquire(runDir, address);
      }
    }

    /**
     * Hands the device back after it was stopped (on close) or after a failed open: binds the
     * kernel driver it had, then gives up the claim. Never throws; safe to call more than once.
     *
     * @return a note for messages if rebinding failed, or an empty string
     */
    public String release() {
      final String note = restoreKernelDriver();
      final DeviceClaim held = claim;
      if (held != null) {
        held.release();
      }
      return note;
    }

    /**
     * Unbinds the kernel driver, remembering it for {@link #restoreKernelDriver()}.
     */
    public void unbindKernelDriver() {
      try {
        previousDriver = sysfs.unbind();
      } catch (UncheckedIOException e) {
        throw new DeviceException(address, "unbind kernel driver", e.getMessage(), e);
      }
    }

    /**
     * Binds the kernel driver that was bound before, if any. Never throws: used on error paths
     * and on close, where the original failure matters more.
     *
     * @return a note for messages if rebinding failed, or an empty string
     */
    public String restoreKernelDriver() {
      final String driver = previousDriver;
      previousDriver = null;
      if (driver == null || driver.equals(sysfs.driver())) {
        return "";
      }
      try {
        sysfs.bind(driver);
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
    final String driver = sysfs.driver();
    if (driver != null && DeviceOptions.USER_SPACE_DRIVERS.contains(driver)
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
    final int uid = effectiveUid();
    if (uid != 0) {
      throw new DeviceException(name, "check privileges", "running as uid " + uid
          + "; unbinding a kernel driver, mapping BARs and reading physical addresses need root");
    }
    return new Context(name, sysfs, config, entry);
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
