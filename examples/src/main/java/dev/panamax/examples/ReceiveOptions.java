package dev.panamax.examples;

import dev.panamax.api.DeviceOptions;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.Rss;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every receiving app shares (recv, pcap, respond), mixed into each command with
 * picocli's {@code @Mixin}, and the two steps they drive: opening the device and describing it.
 */
public final class ReceiveOptions {
  @Option(names = "--promisc", description = "receive frames for any destination")
  boolean promiscuous;

  @Option(names = "--backoff", description = "when idle, yield and park instead of busy polling"
      + " (for CPUs shared by several apps, e.g. in the VM)")
  boolean backoff;

  @Option(names = "--interrupts", description = "when idle, sleep until the device signals a"
      + " received packet (an interrupt through VFIO; other devices are checked every 100 µs)"
      + " instead of polling: an idle receiver then uses almost no CPU")
  boolean interrupts;

  /**
   * Returns the idle strategy these options ask for.
   *
   * @param dev the receiving device
   * @return busy polling, backoff, or sleeping on receive interrupts
   */
  public Backoff idleStrategy(NetworkDevice dev) {
    return new Backoff(dev, backoff, interrupts);
  }

  /**
   * Returns the idle strategy of one receive queue's thread.
   *
   * @param dev the receiving device
   * @param queue the queue the thread polls
   * @return busy polling, backoff, or sleeping on that queue
   */
  public Backoff idleStrategy(NetworkDevice dev, int queue) {
    return new Backoff(dev, queue, backoff, interrupts);
  }

  @Option(names = {"-b", "--batch"}, description = "packets per batch, 1 to 4096 (default:"
      + " ${DEFAULT-VALUE})")
  int batch = 32;

  @Option(names = "--memory", description = "AUTO, HUGEPAGES or VIRTUAL (default: ${DEFAULT-VALUE})")
  Memory memory = Memory.AUTO;

  @Option(names = "--queues", description = "receive queues, one thread each; the NIC spreads"
      + " flows over them with RSS (igb, ixgbe: 1 to 16; other devices: 1) (default:"
      + " ${DEFAULT-VALUE})")
  int queues = 1;

  @Mixin ClaimOptions claim = new ClaimOptions();

  /** Creates the options with their defaults; picocli fills them from the command line. */
  public ReceiveOptions() {}

  /**
   * Checks the shared options; the app calls it with its own checks, before it opens anything.
   *
   * @throws IllegalArgumentException naming the option, the value and the limit
   */
  public void validate() {
    OptionChecks.rxBatch(batch);
    OptionChecks.range("--queues", queues, 1, Rss.MAX_QUEUES, "the most RSS spreads over");
  }

  /**
   * Opens {@code device} with the chosen DMA memory and, with {@code --promisc}, turns
   * promiscuous mode on.
   *
   * @param device the device spec
   * @return the open device; the caller closes it
   */
  public NetworkDevice open(String device) {
    final NetworkDevice dev = NetworkDevice.open(device,
        claim.apply(DeviceOptions.defaults().withDmaSource(memory.sourceFor(device))
            .withQueues(queues, 1)));
    if (promiscuous) {
      try {
        dev.setPromiscuous(true);
      } catch (RuntimeException e) {
        dev.close();
        throw e;
      }
    }
    return dev;
  }

  /**
   * Describes an open device as the apps' first line does.
   *
   * @param dev the device
   * @return e.g. {@code 0000:01:00.0 (e1000, 52:54:00:00:00:10, link up 1000 Mbit/s, promiscuous true)}
   */
  public static String describe(NetworkDevice dev) {
    return dev.address() + " (" + dev.driverName() + ", " + dev.macAddress() + ", link "
        + dev.linkStatus() + ", promiscuous " + dev.isPromiscuous() + ")";
  }
}
