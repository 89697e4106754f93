package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** An app given the same device twice is refused in one line, and the device stays usable. */
class ClaimCommandsTest {
  @Test
  void fwdWithOneDeviceTwiceIsRefused() {
    // The option check sees it before any device is opened (the in-process claim, which would
    // refuse the second open, is tested in DefaultProviderTest).
    final AppRunner.Result r = AppRunner.run("fwd", "null:same", "null:same", "--count", "10");
    assertEquals(1, r.code(), r.all());
    assertEquals("panamax fwd: DEV2 null:same: the same device as DEV1; give two different"
        + " devices\n", r.err());
    // Nothing stayed claimed: the name is free.
    final AppRunner.Result again = AppRunner.run("fwd", "null:same", "null:other", "--count", "10");
    assertEquals(0, again.code(), again.all());
  }

  @Test
  void takeOverFromAcceptsOnlyUserSpaceDrivers() {
    final AppRunner.Result r = AppRunner.run("pktgen", "null:t", "--count", "1", "--take-over-from", "e1000");
    assertEquals(1, r.code(), r.all());
    assertTrue(r.err().startsWith("panamax pktgen: takeOverFrom must be one of [vfio-pci,"
        + " uio_pci_generic, igb_uio], got \"e1000\""), r.err());
  }
}
