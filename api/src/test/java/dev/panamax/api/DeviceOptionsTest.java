package dev.panamax.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeviceOptionsTest {
  @Test
  void defaultsAreOneQueueEachWay512Descriptors() {
    final DeviceOptions d = DeviceOptions.defaults();
    assertEquals(1, d.rxQueues());
    assertEquals(1, d.txQueues());
    assertEquals(512, d.ringSize());
    assertEquals(DmaSource.hugepages(), d.dmaSource());
  }

  @Test
  void withersChangeOneField() {
    final DeviceOptions d = DeviceOptions.defaults().withRingSize(1024).withQueues(2, 3)
        .withBufferCount(99).withDmaSource(DmaSource.virtualMemory());
    assertEquals(new DeviceOptions(2, 3, 1024, 99, DmaSource.virtualMemory()), d);
  }

  @Test
  void rejectsBadValuesNamingTheField() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> DeviceOptions.defaults().withRingSize(100)).getMessage().contains("ringSize"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> DeviceOptions.defaults().withQueues(0, 1)).getMessage().contains("rxQueues"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> DeviceOptions.defaults().withBufferCount(0)).getMessage().contains("bufferCount"));
  }

  @Test
  void takeOverAcceptsOnlyTheUserSpaceDrivers() {
    assertNull(DeviceOptions.defaults().takeOverFrom());
    final DeviceOptions vfio = DeviceOptions.defaults().withRingSize(256).withTakeOverFrom("vfio-pci");
    assertEquals("vfio-pci", vfio.takeOverFrom());
    assertEquals("vfio-pci", vfio.withBufferCount(8).takeOverFrom(), "kept by the other with... methods");
    final IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> DeviceOptions.defaults().withTakeOverFrom("e1000"));
    assertEquals("takeOverFrom must be one of [vfio-pci, uio_pci_generic, igb_uio], got \"e1000\"",
        e.getMessage());
  }
}
