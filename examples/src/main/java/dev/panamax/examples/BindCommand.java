package dev.panamax.examples;

import dev.panamax.api.NetworkDevice;
import dev.panamax.api.VfioBinding;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code panamax bind PCI... [--user NAME]}: the one-time set-up, as root, after which the apps
 * open the devices through VFIO, as that user without root.
 */
@Command(
    name = "bind",
    mixinStandardHelpOptions = true,
    description = "As root, once: bind PCI devices to vfio-pci so that the apps open them through"
        + " the IOMMU, and with --user grant them to that user, who then runs pktgen, fwd and recv"
        + " on them without root. Every check runs first (supported NIC, interface down and"
        + " without addresses, not held by an app, an IOMMU group of its own); then one line per"
        + " step, and how much locked memory the user needs. If a step fails, the devices go back"
        + " to their kernel drivers. './panamax unbind PCI...' undoes it.")
public final class BindCommand implements Callable<Integer> {
  /** Buffers of pktgen's own packet pool with its default options. */
  static final long PKTGEN_POOL_BYTES = (long) OptionChecks.ENTRY_SIZE * PktgenCommand.DEFAULT_BUFFERS;

  private static final long MIB = 1L << 20;

  @Parameters(arity = "1..*", paramLabel = "PCI", description = "PCI addresses, e.g. 0000:01:00.0")
  List<String> devices = List.of();

  @Option(names = "--user", paramLabel = "NAME", description = "the user (name or numeric uid)"
      + " who may open the devices without root; without it only root may")
  @Nullable String user;

  /** Creates the command; picocli fills its fields. */
  public BindCommand() {}

  @Override
  public Integer call() {
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    final List<VfioBinding> bound = NetworkDevice.bindToVfio(devices, user, line -> out.println("bind " + line));
    final String list = String.join(" ", bound.stream().map(VfioBinding::address).toList());
    final String who = user;
    if (who == null) {
      out.println("bind: " + list + " bound to vfio-pci for root: apps open "
          + (bound.size() == 1 ? "it" : "them") + " through the IOMMU; './panamax unbind " + list
          + "' gives " + (bound.size() == 1 ? "it" : "them") + " back to the kernel");
      return 0;
    }
    long all = PKTGEN_POOL_BYTES;
    for (VfioBinding b : bound) {
      out.println("bind memlock: " + b.address() + " pins " + b.dmaBytes() / MIB + " MiB per open"
          + " (rings and receive buffers, default options): recv needs " + b.dmaBytes() / MIB
          + " MiB, pktgen " + (b.dmaBytes() + PKTGEN_POOL_BYTES) / MIB + " MiB (with its "
          + PKTGEN_POOL_BYTES / MIB + " MiB packet pool); fwd needs what its two devices pin");
      all += b.dmaBytes();
    }
    final long kib = all / 1024;
    out.println("bind memlock: the IOMMU pins this memory and counts it against " + who + "'s"
        + " locked-memory limit (often 8 MiB); " + all / MIB + " MiB covers any one app on these"
        + " devices: as root, 'ulimit -l " + kib + "' in the shell that starts the app as " + who
        + " (setpriv, su and runuser keep it), or '" + who + " - memlock " + kib + "' in"
        + " /etc/security/limits.d/panamax.conf for " + who + "'s logins");
    out.println("bind: " + who + " may now run ./panamax pktgen, recv and fwd on " + list
        + " without root or capabilities; './panamax unbind " + list + "' gives "
        + (bound.size() == 1 ? "it" : "them") + " back to the kernel");
    return 0;
  }
}
