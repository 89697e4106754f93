package dev.panamax.examples;

import dev.panamax.api.NetworkDevice;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code panamax recover PCI...}: clean up after an app that died with its device open. */
@Command(
    name = "recover",
    mixinStandardHelpOptions = true,
    description = "Recover PCI devices left behind by an app that was killed or crashed: stop"
        + " each device (bus mastering off, device reset), delete the DMA memory the dead app"
        + " kept reserved, and bind the device's original kernel driver again. The next open of"
        + " a device does the same by itself. Prints one line per device; exit status 0, 1 if a"
        + " device could not be recovered (e.g. another app holds it).")
public final class RecoverCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "PCI", description = "PCI addresses, e.g. 0000:01:00.0")
  List<String> devices = List.of();

  @Override
  public Integer call() {
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    for (String device : devices) {
      out.println("recover " + NetworkDevice.recover(device));
    }
    return 0;
  }
}
