package dev.panamax.examples;

import dev.panamax.api.NetworkDevice;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code panamax unbind PCI...}: gives devices bound by {@code bind} back to their kernel drivers. */
@Command(
    name = "unbind",
    mixinStandardHelpOptions = true,
    description = "As root: give PCI devices bound by './panamax bind' back to the kernel driver"
        + " they had. Refuses a device an app holds, or one that bind did not bind. One line per"
        + " step.")
public final class UnbindCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "PCI", description = "PCI addresses, e.g. 0000:01:00.0")
  List<String> devices = List.of();

  /** Creates the command; picocli fills its fields. */
  public UnbindCommand() {}

  @Override
  public Integer call() {
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    NetworkDevice.unbindFromVfio(devices, line -> out.println("unbind " + line));
    return 0;
  }
}
