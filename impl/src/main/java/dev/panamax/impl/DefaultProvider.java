package dev.panamax.impl;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaMode;
import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.PanamaxException;
import dev.panamax.api.PanamaxProvider;
import dev.panamax.api.PciAddress;
import dev.panamax.api.VfioBinding;
import dev.panamax.impl.device.BaseDevice;
import dev.panamax.impl.device.InProcessClaims;
import dev.panamax.impl.device.OpenDevices;
import dev.panamax.impl.dma.DmaException;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.e1000.E1000;
import dev.panamax.impl.igb.Igb;
import dev.panamax.impl.intel.Hardware;
import dev.panamax.impl.intel.IntelOpener;
import dev.panamax.impl.ixgbe.Ixgbe;
import dev.panamax.impl.mempool.MempoolImpl;
import dev.panamax.impl.observe.DeviceEvents;
import dev.panamax.impl.pci.PciIds;
import dev.panamax.impl.pci.PciOpener;
import dev.panamax.impl.pci.VfioBinder;
import dev.panamax.impl.virtio.VirtioNet;
import dev.panamax.impl.virtual.NullDevice;
import dev.panamax.impl.virtual.PairDevice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Turns device specs into devices and DMA sources into mempools. */
public final class DefaultProvider implements PanamaxProvider {
  /**
   * Where PCI devices are looked up: {@code /sys}, or the directory named by the system property
   * {@code panamax.sysfs} (tests point it at a fake tree, so they never reach the host's PCI
   * devices).
   */
  private static final Path SYSFS = Path.of(System.getProperty("panamax.sysfs", "/sys"));

  /**
   * Where device claims (lock files) and the records that outlive a process are kept: {@code
   * /run/panamax}, or the directory named by the system property {@code panamax.run} (tests).
   */
  private static final Path RUN = Path.of(System.getProperty("panamax.run", "/run/panamax"));

  private static final Pattern PAIR = Pattern.compile("pair:([A-Za-z0-9_.-]{1,64}):([01])");
  private static final Pattern NULL = Pattern.compile("null:([A-Za-z0-9_.-]{1,64})");
  private static final String FORMS =
      "expected a PCI address (0000:03:00.0 or 03:00.0), pair:NAME:0, pair:NAME:1 or null:NAME";
  private static final String NAMES = "NAME is 1 to 64 of A-Z a-z 0-9 _ . -";

  /** Creates the provider; found by {@link java.util.ServiceLoader}. */
  public DefaultProvider() {}

  @Override
  public NetworkDevice open(String spec, DeviceOptions options) {
    final Matcher pair = PAIR.matcher(spec);
    if (pair.matches()) {
      return claimed(spec, () -> PairDevice.open(spec, pair.group(1),
          Integer.parseInt(pair.group(2)), options));
    }
    final Matcher nul = NULL.matcher(spec);
    if (nul.matches()) {
      return claimed(spec, () -> NullDevice.open(nul.group(1), options));
    }
    if (spec.startsWith("pair:") || spec.startsWith("null:")) {
      throw new DeviceException(spec, "parse device spec", "malformed virtual device name; " + FORMS
          + "; " + NAMES);
    }
    final PciAddress address;
    try {
      address = PciAddress.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new DeviceException(spec, "parse device spec", e.getMessage() + "; " + FORMS, e);
    }
    try {
      return openPci(address, options);
    } catch (DeviceException e) {
      if (options.dma() != DmaMode.AUTO || !(e.getCause() instanceof VirtioNet.BypassesIommuException)) {
        throw e;
      }
      // A modern virtio device whose features could not be read before it was opened: it turned
      // out to bypass the IOMMU, so the automatic mode takes the physical path and says why.
      final BaseDevice device = openPci(address, options.withDma(DmaMode.PHYSICAL));
      device.describeDma("warning: DMA with physical addresses, not confined by an IOMMU, because "
          + VirtioNet.BypassesIommuException.REASON + " (--dma physical accepts this without the"
          + " warning)");
      DeviceEvents.fallback(device.address(), device.dmaDescription());
      return device;
    }
  }

  private BaseDevice openPci(PciAddress address, DeviceOptions options) {
    final PciOpener.Context context = PciOpener.check(address, options, SYSFS);
    context.claim(RUN);
    try {
      if (context.needsRecovery()) {
        // A process died with this device open; it may still be running. Say what was done.
        System.err.println("panamax: " + address + ": " + context.recover(DefaultProvider::reset));
      }
      final BaseDevice device = switch (context.entry().family()) {
        case VIRTIO_LEGACY, VIRTIO_MODERN -> VirtioNet.open(context, options);
        case E1000 -> E1000.open(context, options);
        case IGB -> Igb.open(context, options);
        case IXGBE -> Ixgbe.open(context, options);
      };
      return OpenDevices.hold(device);
    } catch (RuntimeException e) {
      // The drivers hand the device back on their own failure paths; this covers the steps
      // before they touch it (DMA memory), and does nothing a second time.
      context.release();
      throw e;
    }
  }

  @Override
  public String recover(String spec) {
    if (spec.startsWith("pair:") || spec.startsWith("null:")) {
      throw new DeviceException(spec, "recover", "an in-memory device leaves nothing behind when"
          + " its process dies; only PCI devices need recovering");
    }
    final PciAddress address;
    try {
      address = PciAddress.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new DeviceException(spec, "parse device spec", e.getMessage() + "; " + FORMS, e);
    }
    final PciOpener.Context context = PciOpener.inspect(address, SYSFS);
    PciOpener.checkRoot(context.address());
    context.claim(RUN);
    final String done;
    try {
      done = context.recover(DefaultProvider::reset);
    } catch (RuntimeException e) {
      context.release();
      throw e;
    }
    final String note = context.release();
    final String driver = context.sysfs().driver();
    final String line = address + ": " + done + (driver == null ? ", no kernel driver to bind"
        : ", bound to " + driver) + note;
    DeviceEvents.binding(line);
    return line;
  }

  @Override
  public List<VfioBinding> bindToVfio(List<String> specs, @Nullable String user,
      Consumer<String> progress) {
    return new VfioBinder(SYSFS, RUN, logged(progress)).bind(pciAddresses(specs), user,
        DefaultProvider::defaultDmaBytes);
  }

  @Override
  public void unbindFromVfio(List<String> specs, Consumer<String> progress) {
    new VfioBinder(SYSFS, RUN, logged(progress)).unbind(pciAddresses(specs));
  }

  /** Passes each binding step to the caller and to the log. */
  private static Consumer<String> logged(Consumer<String> progress) {
    return line -> {
      DeviceEvents.binding(line);
      progress.accept(line);
    };
  }

  private static List<PciAddress> pciAddresses(List<String> specs) {
    final List<PciAddress> addresses = new ArrayList<>();
    for (String spec : specs) {
      try {
        addresses.add(PciAddress.parse(spec));
      } catch (IllegalArgumentException e) {
        throw new DeviceException(spec, "parse device spec", e.getMessage()
            + "; expected a PCI address (0000:03:00.0 or 03:00.0)", e);
      }
    }
    return addresses;
  }

  /**
   * The DMA memory one open of a device of this family maps with {@link
   * DeviceOptions#defaults()}: its rings and its receive buffers, each in whole 2 MiB pages.
   */
  private static long defaultDmaBytes(PciIds.Family family) {
    final int buffers = DeviceOptions.defaults().bufferCount();
    return switch (family) {
      case VIRTIO_LEGACY, VIRTIO_MODERN ->
          pages(VirtioNet.RING_MEMORY) + pages((long) VirtioNet.ENTRY_SIZE * buffers);
      case E1000, IGB, IXGBE ->
          pages(Hardware.RING_MEMORY) + pages((long) Hardware.RX_ENTRY_SIZE * buffers);
    };
  }

  private static long pages(long bytes) {
    return (bytes + (2L << 20) - 1) & -(2L << 20);
  }

  /** The family's reset of a device a dead process left running. */
  private static void reset(PciOpener.Context context) {
    DeviceEvents.reset(context.address(),
        "a process died with the device open; stopping it before it is used again");
    switch (context.entry().family()) {
      case VIRTIO_LEGACY, VIRTIO_MODERN -> VirtioNet.resetAfterCrash(context);
      case E1000, IGB, IXGBE -> IntelOpener.resetAfterCrash(context);
    }
  }

  /**
   * Opens an in-memory device under an in-process claim, given up when the device closes.
   *
   * @param spec the canonical spec (pair:NAME:N or null:NAME)
   * @param opener opens the device
   * @return the device
   */
  private static NetworkDevice claimed(String spec, Supplier<BaseDevice> opener) {
    InProcessClaims.claim(spec);
    try {
      final BaseDevice device = opener.get();
      device.runAfterClose(() -> InProcessClaims.release(spec));
      return OpenDevices.hold(device);
    } catch (RuntimeException e) {
      InProcessClaims.release(spec);
      throw e;
    }
  }

  /**
   * Creates a pool whose memory lives in an automatic arena of its own and whose usability
   * follows the application's arena: memory a device may still touch stays mapped until every
   * device has given the pool's buffers back and nothing references them, whatever order the
   * application closes its arena and its devices in (see {@link MempoolImpl}).
   */
  @Override
  public Mempool createMempool(
      Arena arena, DmaSource source, int entrySize, int entryCount, String name) {
    MempoolImpl.validate(name, entrySize, entryCount);
    final MemorySegment.Scope usable = arena.scope();
    if (!usable.isAlive()) {
      throw new IllegalStateException(
          "mempool '" + name + "': cannot allocate in this arena: Already closed");
    }
    final long size = (long) entrySize * entryCount;
    final DmaMemory memory;
    try {
      memory = switch (source) {
        case DmaSource.VirtualMemory v -> DmaMemory.allocateVirtual(Arena.ofAuto(), size);
        case DmaSource.Hugepages h -> DmaMemory.allocateHugepages(Arena.ofAuto(), size, h.mountPoint());
      };
    } catch (DmaException e) {
      throw new PanamaxException("mempool '" + name + "': " + e.getMessage(), e);
    } catch (OutOfMemoryError e) {
      // One large allocation that did not fit: nothing else is affected, so say which and why.
      throw new PanamaxException("mempool '" + name + "': cannot allocate " + entryCount
          + " buffers of " + entrySize + " bytes (" + size + " bytes): " + e.getMessage(), e);
    }
    return new MempoolImpl(name, memory, entrySize, entryCount, usable);
  }
}
