package dev.panamax.impl.pci;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.PanamaxException;
import dev.panamax.api.PciAddress;
import dev.panamax.api.VfioBinding;
import dev.panamax.impl.dma.DmaException;
import dev.panamax.impl.dma.DmaFiles;
import dev.panamax.impl.vfio.VfioDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The one-time, root-only set-up that lets a user open PCI devices through VFIO without root
 * ({@code ./panamax bind PCI... --user NAME}), and its undoing ({@code ./panamax unbind PCI...}).
 *
 * <p>Bind runs every check that can refuse a device, for all devices, before it changes
 * anything: the device is a supported network controller ({@link PciOpener#inspect}), the
 * caller is root, the device has an IOMMU group and VFIO can drive it, the checks of {@link
 * PciOpener#check} pass (kernel interface down and without addresses, no other user-space
 * driver), every other device of its IOMMU group is bound to vfio-pci, pci-stub, pcieport or no
 * driver, a hugetlbfs is mounted, no Panamax app holds the device ({@link DeviceClaim}, held
 * until bind is done) and none died with it open. Then, per device: binds it to vfio-pci,
 * writes {@code <runDir>/<address>.bound} ({@code driver=e1000}, {@code user=NAME}), and
 * grants the user {@code /dev/vfio/<group>} (owner, mode 0600), the device's lock file (owner,
 * mode 0644), {@code <runDir>} (mode 1777: every user may create its records there, the
 * sticky bit lets each remove only its own) and {@code <hugetlbfs>/panamax} (mode 1777, where
 * DMA memory files are created). If a step fails, every device bound by the call goes back to
 * the driver it had, its record is restored and its lock file is root's again; the two
 * directory modes stay.
 */
public final class VfioBinder {
  /** The suffix of bind's record in the run directory: {@code 0000:01:00.0.bound}. */
  public static final String RECORD_SUFFIX = ".bound";

  /**
   * Kernel drivers that other devices of an IOMMU group may have without keeping VFIO from
   * using the group: vfio-pci itself, and drivers that do no DMA of their own (pci-stub, and
   * pcieport for the bridges and ports of a group).
   */
  private static final Set<String> HARMLESS = Set.of(SysfsPci.VFIO_PCI, "pci-stub", "pcieport");

  private static final int VFIO_NODE_MODE = 0600;
  private static final int LOCK_MODE = 0644;
  private static final int SHARED_DIRECTORY_MODE = 01777;
  private static final long NODE_WAIT_NS = 2_000_000_000L;

  private final Path sysfsRoot;
  private final Path runDir;
  private final Path procMounts;
  private final Path vfioDir;
  private final PciOpener.AddressLookup lookup;
  private final IntSupplier uid;
  private final Consumer<String> progress;

  /**
   * Creates a binder for this machine: /sys, /proc/mounts and /dev/vfio, with interface
   * addresses from the JDK and the effective uid from /proc/self/status.
   *
   * @param sysfsRoot {@code /sys}
   * @param runDir where claims and records live, {@code /run/panamax}
   * @param progress receives one line per step done
   */
  public VfioBinder(Path sysfsRoot, Path runDir, Consumer<String> progress) {
    this(sysfsRoot, runDir, Path.of("/proc/mounts"), Path.of("/dev/vfio"), PciOpener::addressesOf,
        PciOpener::effectiveUid, progress);
  }

  VfioBinder(Path sysfsRoot, Path runDir, Path procMounts, Path vfioDir,
      PciOpener.AddressLookup lookup, IntSupplier uid, Consumer<String> progress) {
    this.sysfsRoot = sysfsRoot;
    this.runDir = runDir;
    this.procMounts = procMounts;
    this.vfioDir = vfioDir;
    this.lookup = lookup;
    this.uid = uid;
    this.progress = progress;
  }

  /** A device that passed every check, under its claim. */
  private record Checked(PciOpener.Context context, int group, Path mount, DeviceClaim claim) {
    String address() {
      return context.address();
    }
  }

  /** What bind's record says. */
  record Record(@Nullable String driver, @Nullable String user) {}

  /** What bind changed for one device, to undo it when a later step fails. */
  private static final class Undo {
    final Checked device;
    @Nullable String rebindTo;
    boolean rebind;
    @Nullable String oldRecord;
    boolean recordWritten;
    boolean lockGranted;

    Undo(Checked device) {
      this.device = device;
    }
  }

  /**
   * Binds devices to vfio-pci for root, or for {@code user}.
   *
   * @param addresses the devices
   * @param user a user name or numeric uid, or {@code null} for root only
   * @param dmaBytes the DMA memory one open with default options maps, per device family
   * @return one binding per device
   * @throws DeviceException naming the device and the step; {@link PanamaxException} for an
   *     unknown user
   */
  public List<VfioBinding> bind(List<PciAddress> addresses, @Nullable String user,
      ToLongFunction<PciIds.Family> dmaBytes) {
    final UserPrincipal principal = user == null ? null : principal(user);
    final List<Checked> checked = new ArrayList<>();
    try {
      final Set<String> all = new LinkedHashSet<>();
      addresses.forEach(a -> all.add(a.toString()));
      for (PciAddress address : addresses) {
        checked.add(check(address, all));
      }
      final List<Undo> done = new ArrayList<>();
      final List<VfioBinding> bindings = new ArrayList<>();
      for (Checked device : checked) {
        final Undo undo = new Undo(device);
        done.add(undo);
        bindings.add(bindOne(undo, principal, dmaBytes, done));
      }
      return bindings;
    } finally {
      checked.forEach(c -> c.claim().release());
    }
  }

  /**
   * Gives devices bound by {@link #bind} back to their recorded kernel drivers.
   *
   * @param addresses the devices
   * @throws DeviceException naming the device and the step
   */
  public void unbind(List<PciAddress> addresses) {
    final List<DeviceClaim> claims = new ArrayList<>();
    try {
      final List<PciOpener.Context> contexts = new ArrayList<>();
      final List<Record> records = new ArrayList<>();
      for (PciAddress address : addresses) {
        final PciOpener.Context context = PciOpener.inspect(address, sysfsRoot);
        final String name = context.address();
        checkRoot(name, "giving a device back to its kernel driver needs root");
        // The record first: a device bind did not bind is refused with nothing created for it.
        final Record record = readRecord(name);
        if (record == null) {
          final String driver = context.sysfs().driver();
          throw new DeviceException(name, "check binding", "not bound by './panamax bind' (no "
              + recordFile(name) + "); it is bound to " + (driver == null ? "no driver" : driver)
              + (SysfsPci.VFIO_PCI.equals(driver) ? ", by another tool (DPDK's dpdk-devbind.py,"
                  + " a VM manager); give it back with that tool" : ", nothing to undo"));
        }
        claims.add(DeviceClaim.acquire(runDir, name));
        contexts.add(context);
        records.add(record);
      }
      for (int i = 0; i < contexts.size(); i++) {
        unbindOne(contexts.get(i), records.get(i));
      }
    } finally {
      claims.forEach(DeviceClaim::release);
    }
  }

  private Checked check(PciAddress address, Set<String> all) {
    final PciOpener.Context context = PciOpener.inspect(address, sysfsRoot);
    final String name = context.address();
    checkRoot(name, "binding a device to vfio-pci and granting it to a user need root");
    final int group = VfioDevice.iommuGroup(sysfsRoot, name);
    if (group < 0) {
      throw new DeviceException(name, "check IOMMU group", "the device has no IOMMU group: this"
          + " machine has no IOMMU or it is off; turn it on (intel_iommu=on or amd_iommu=on on"
          + " the kernel command line, VT-d or AMD-Vi in the firmware), or run the apps as root"
          + " with physical addresses (--dma physical)");
    }
    final String obstacle = PciOpener.vfioObstacle(context, group, sysfsRoot);
    if (obstacle != null) {
      throw new DeviceException(name, "check VFIO", "VFIO cannot drive this device: " + obstacle);
    }
    PciOpener.check(address, DeviceOptions.defaults(), sysfsRoot, lookup);
    checkGroup(name, group, all);
    final Path mount;
    try {
      mount = DmaFiles.defaultMount(procMounts);
    } catch (DmaException e) {
      throw new DeviceException(name, "check hugepages", e.getMessage(), e);
    }
    final DeviceClaim claim = DeviceClaim.acquire(runDir, name);
    try {
      final Path handover = runDir.resolve(name + ".driver");
      if (Files.exists(handover) || !DmaFiles.find(name, procMounts).isEmpty()) {
        throw new DeviceException(name, "check for a crashed app", "a Panamax app died with this"
            + " device open and left it running (" + handover + " or its DMA files are left);"
            + " run './panamax recover " + name + "' first");
      }
    } catch (RuntimeException e) {
      claim.release();
      throw e instanceof DeviceException d ? d
          : new DeviceException(name, "check for a crashed app", String.valueOf(e.getMessage()), e);
    }
    return new Checked(context, group, mount, claim);
  }

  /** Refuses a group with a device that some other kernel driver uses. */
  private void checkGroup(String name, int group, Set<String> all) {
    final Path devices = sysfsRoot.resolve("kernel/iommu_groups/" + group + "/devices");
    final List<String> others = new ArrayList<>();
    try (Stream<Path> members = Files.list(devices)) {
      for (Path member : members.sorted().toList()) {
        final String other = String.valueOf(member.getFileName());
        if (other.equals(name) || all.contains(other)) {
          continue;
        }
        final Path link = sysfsRoot.resolve("bus/pci/devices").resolve(other).resolve("driver");
        final String driver = Files.isSymbolicLink(link)
            ? String.valueOf(Files.readSymbolicLink(link).getFileName()) : null;
        if (driver != null && !HARMLESS.contains(driver)) {
          others.add(other + " (" + driver + ")");
        }
      }
    } catch (IOException e) {
      throw new DeviceException(name, "check IOMMU group", "cannot list " + devices + ": " + e, e);
    }
    if (!others.isEmpty()) {
      throw new DeviceException(name, "check IOMMU group", "IOMMU group " + group + " also holds "
          + String.join(", ", others) + ", not bound to vfio-pci; VFIO gives a group to one"
          + " program as a whole: bind " + (others.size() == 1 ? "it" : "them") + " in the same"
          + " command, or use a device in a group of its own (" + devices + ")");
    }
  }

  private VfioBinding bindOne(Undo undo, @Nullable UserPrincipal user,
      ToLongFunction<PciIds.Family> dmaBytes, List<Undo> done) {
    final Checked device = undo.device;
    final String name = device.address();
    final SysfsPci sysfs = device.context().sysfs();
    final String who = user == null ? "root" : user.getName();
    String step = "bind to vfio-pci";
    try {
      final Record existing = readRecord(name);
      final String previous = sysfs.driver();
      final String original = existing != null ? existing.driver()
          : SysfsPci.VFIO_PCI.equals(previous) ? null : previous;
      sysfs.bindToVfio();
      if (!SysfsPci.VFIO_PCI.equals(previous)) {
        undo.rebind = true;
        undo.rebindTo = previous;
        progress.accept(name + ": bound to vfio-pci (was " + (previous == null ? "without a driver"
            : "bound to " + previous) + "), IOMMU group " + device.group());
      } else {
        progress.accept(name + ": already bound to vfio-pci, IOMMU group " + device.group());
      }

      step = "record the kernel driver";
      final Path record = recordFile(name);
      undo.oldRecord = existing == null ? null : Files.readString(record, UTF_8);
      undo.recordWritten = true;
      writeRecord(name, original, user == null ? null : user.getName());
      progress.accept(name + ": " + record + " records " + (original == null
          ? "no kernel driver (it had none, or vfio-pci already)" : "kernel driver " + original)
          + " for './panamax unbind'");

      step = "grant /dev/vfio/" + device.group();
      final Path node = vfioDir.resolve(String.valueOf(device.group()));
      waitFor(node);
      grant(node, user, VFIO_NODE_MODE);
      progress.accept(name + ": " + node + " owned by " + owner(node) + ", mode 0600");

      step = "grant the lock file";
      if (user != null) {
        shareDirectory(runDir, "lock files and records of apps");
      }
      final Path lock = runDir.resolve(name + ".lock");
      undo.lockGranted = true;
      grant(lock, user, LOCK_MODE);
      progress.accept(name + ": " + lock + " owned by " + owner(lock));

      if (user != null) {
        step = "make hugepages usable";
        shareDirectory(device.mount().resolve(DmaFiles.DIRECTORY), "DMA memory files");
      }
      final long bytes = dmaBytes.applyAsLong(device.context().entry().family());
      return new VfioBinding(name, device.group(), original, user == null ? null : who, bytes);
    } catch (IOException | RuntimeException e) {
      final String undone = rollBack(done);
      throw new DeviceException(name, step, (e instanceof UncheckedIOException u
          ? u.getMessage() : String.valueOf(e)) + undone, e);
    }
  }

  /** Undoes the devices bound so far, last first; says what was done. */
  private String rollBack(List<Undo> done) {
    final StringBuilder text = new StringBuilder();
    for (int i = done.size() - 1; i >= 0; i--) {
      final Undo undo = done.get(i);
      final String name = undo.device.address();
      final SysfsPci sysfs = undo.device.context().sysfs();
      try {
        if (undo.recordWritten) {
          final String old = undo.oldRecord;
          if (old == null) {
            Files.deleteIfExists(recordFile(name));
          } else {
            Files.writeString(recordFile(name), old, UTF_8);
          }
        }
        if (undo.lockGranted) {
          grant(runDir.resolve(name + ".lock"), null, LOCK_MODE);
        }
        if (undo.rebind) {
          final String driver = undo.rebindTo;
          if (driver != null) {
            sysfs.rebind(driver);
          } else {
            sysfs.unbind();
          }
          text.append("; ").append(name).append(" given back to ")
              .append(driver == null ? "no driver" : driver);
        }
      } catch (IOException | RuntimeException e) {
        text.append("; undoing ").append(name).append(" failed: ").append(e.getMessage());
      }
    }
    return text.toString();
  }

  private void unbindOne(PciOpener.Context context, Record record) {
    final String name = context.address();
    final SysfsPci sysfs = context.sysfs();
    final String driver = sysfs.driver();
    final String original = record.driver();
    String step = "unbind vfio-pci";
    try {
      if (SysfsPci.VFIO_PCI.equals(driver)) {
        if (original != null) {
          step = "bind " + original;
          sysfs.rebind(original);
          progress.accept(name + ": unbound from vfio-pci, bound to " + original + " again");
        } else {
          sysfs.unbind();
          progress.accept(name + ": unbound from vfio-pci; no kernel driver was recorded (it had"
              + " none, or was bound to vfio-pci before './panamax bind'), so it has none now");
        }
      } else {
        progress.accept(name + ": not bound to vfio-pci any more (" + (driver == null
            ? "no driver" : "bound to " + driver) + "); left as it is");
      }
      step = "give the lock file back to root";
      final Path lock = runDir.resolve(name + ".lock");
      if (Files.exists(lock)) {
        grant(lock, null, LOCK_MODE);
      }
      final int group = VfioDevice.iommuGroup(sysfsRoot, name);
      final Path node = vfioDir.resolve(String.valueOf(group));
      if (group >= 0 && Files.exists(node)) {
        // Other devices of the group are still bound to vfio-pci: the node stays, root's again.
        grant(node, null, VFIO_NODE_MODE);
      }
      step = "delete the record";
      Files.delete(recordFile(name));
      progress.accept(name + ": " + recordFile(name) + " deleted, " + lock + " owned by root");
    } catch (IOException | RuntimeException e) {
      throw new DeviceException(name, step, (e instanceof UncheckedIOException u
          ? u.getMessage() : String.valueOf(e)) + "; " + recordFile(name) + " stays", e);
    }
  }

  /** Makes a directory (created if missing) writable for every user, sticky as /tmp. */
  private void shareDirectory(Path directory, String what) throws IOException {
    Files.createDirectories(directory);
    final int mode = (Integer) Files.getAttribute(directory, "unix:mode") & 07777;
    if (mode != SHARED_DIRECTORY_MODE) {
      Files.setAttribute(directory, "unix:mode", SHARED_DIRECTORY_MODE);
      progress.accept(directory + ": mode 1777 (was " + String.format("%04o", mode) + "): every"
          + " user may create " + what + " there, and remove only their own");
    } else {
      progress.accept(directory + ": mode 1777 already");
    }
  }

  /** Sets a file's owner (root when {@code user} is null) and permission bits. */
  private static void grant(Path file, @Nullable UserPrincipal user, int mode) throws IOException {
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
    if (user != null) {
      Files.setOwner(file, user);
    } else {
      Files.setAttribute(file, "unix:uid", 0);
    }
    Files.setAttribute(file, "unix:mode", mode);
  }

  private static String owner(Path file) throws IOException {
    return Files.getOwner(file).getName() + " (uid " + Files.getAttribute(file, "unix:uid") + ")";
  }

  /** The kernel creates the group's node as vfio-pci binds; give it a moment on slow machines. */
  private static void waitFor(Path node) throws IOException {
    final long deadline = System.nanoTime() + NODE_WAIT_NS;
    while (!Files.exists(node)) {
      if (System.nanoTime() > deadline) {
        throw new IOException(node + " did not appear after binding vfio-pci");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + node, e);
      }
    }
  }

  private void checkRoot(String name, String why) {
    final int id = uid.getAsInt();
    if (id != 0) {
      throw new DeviceException(name, "check privileges", "running as uid " + id + "; " + why);
    }
  }

  private static UserPrincipal principal(String user) {
    try {
      return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
    } catch (UserPrincipalNotFoundException e) {
      throw new PanamaxException("--user: no such user: '" + user + "' (a name from /etc/passwd"
          + " or a numeric uid)", e);
    } catch (IOException e) {
      throw new PanamaxException("--user: cannot look up '" + user + "': " + e, e);
    }
  }

  private Path recordFile(String name) {
    return runDir.resolve(name + RECORD_SUFFIX);
  }

  /** Reads bind's record of a device, or {@code null} if there is none. */
  @Nullable Record readRecord(String name) {
    final Path file = recordFile(name);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      final String text = Files.readString(file, UTF_8);
      final String driver = field(text, "driver").filter(d -> d.matches("[A-Za-z0-9_.-]+")).orElse(null);
      return new Record(driver, field(text, "user").filter(u -> !u.isEmpty()).orElse(null));
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot read " + file + ": " + e, e);
    }
  }

  private void writeRecord(String name, @Nullable String driver, @Nullable String user)
      throws IOException {
    Files.createDirectories(runDir);
    final Path temporary = runDir.resolve(name + RECORD_SUFFIX + ".tmp");
    Files.writeString(temporary, "driver=" + (driver == null ? "" : driver) + "\nuser="
        + (user == null ? "" : user) + "\n", UTF_8);
    Files.move(temporary, recordFile(name), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static Optional<String> field(String text, String key) {
    for (String line : text.split("\n", -1)) {
      if (line.startsWith(key + "=")) {
        return Optional.of(line.substring(key.length() + 1).strip());
      }
    }
    return Optional.empty();
  }
}
