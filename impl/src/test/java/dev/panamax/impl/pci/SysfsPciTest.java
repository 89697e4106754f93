package dev.panamax.impl.pci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.impl.unsafe.Mmio;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs against a fake sysfs tree only: the host's real PCI devices must never be touched. */
class SysfsPciTest {
  private static final String ADDRESS = "0000:00:04.0";

  @TempDir Path root;
  private Path device;
  private Path igb;

  @BeforeEach
  void fakeSysfs() throws Exception {
    device = Files.createDirectories(root.resolve("bus/pci/devices").resolve(ADDRESS));
    igb = Files.createDirectories(root.resolve("bus/pci/drivers/igb"));
    Files.createFile(igb.resolve("bind"));
    Files.createFile(igb.resolve("unbind"));
    Files.createSymbolicLink(device.resolve("driver"), Path.of("../../drivers/igb"));
    final ByteBuffer config = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    config.putShort(0x00, (short) 0x8086).putShort(0x02, (short) 0x10C9); // vendor, device
    config.putShort(0x04, (short) 0x0103); // command: I/O + memory space + SERR#
    Files.write(device.resolve("config"), config.array());
    final ByteBuffer bar0 = ByteBuffer.allocate(128 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    bar0.putInt(0x8, 0x80080783); // STATUS
    Files.write(device.resolve("resource0"), bar0.array());
    final byte[] io = new byte[32];
    io[0x12] = 0x42;
    Files.write(device.resolve("resource2"), io);
    Files.createDirectories(device.resolve("net/eth1"));
  }

  private SysfsPci pci() {
    return SysfsPci.of(root, ADDRESS);
  }

  @Test
  void readsConfigSpace() {
    final byte[] config = pci().readConfig();
    assertEquals(256, config.length);
    assertArrayEquals(new byte[] {(byte) 0x86, (byte) 0x80, (byte) 0xC9, 0x10}, java.util.Arrays.copyOf(config, 4));
    assertEquals(device, pci().directory());
    assertEquals(ADDRESS, pci().address());
  }

  @Test
  void enableBusMasterSetsBit2OfCommandAndKeepsTheOtherBits() throws Exception {
    pci().enableBusMaster();
    final ByteBuffer config = ByteBuffer.wrap(Files.readAllBytes(device.resolve("config"))).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0x0107, config.getShort(0x04));
    assertEquals(0x10C9, config.getShort(0x02));
    assertEquals(256, config.capacity());
  }

  @Test
  void enableBusMasterOnATruncatedConfigSpaceFailsAndWritesNothing() throws Exception {
    Files.write(device.resolve("config"), new byte[] {(byte) 0x86, (byte) 0x80, (byte) 0xC9, 0x10, 0x03});
    final UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> pci().enableBusMaster());
    assertTrue(e.getMessage().startsWith(ADDRESS + ": enable bus master failed"), e.getMessage());
    assertEquals(5, Files.size(device.resolve("config")));
  }

  @Test
  void unbindWritesTheAddressToTheDriversUnbindFileAndReturnsTheDriver() throws Exception {
    assertEquals("igb", pci().driver());
    assertEquals("igb", pci().unbind());
    assertEquals(ADDRESS, Files.readString(igb.resolve("unbind"), StandardCharsets.US_ASCII));
    assertEquals("", Files.readString(igb.resolve("bind")));
  }

  @Test
  void bindWritesTheAddressToTheNamedDriversBindFile() throws Exception {
    pci().bind("igb");
    assertEquals(ADDRESS, Files.readString(igb.resolve("bind"), StandardCharsets.US_ASCII));
    assertEquals("", Files.readString(igb.resolve("unbind")));
  }

  @Test
  void unbindWithoutDriverDoesNothing() throws Exception {
    Files.delete(device.resolve("driver"));
    assertNull(pci().driver());
    assertNull(pci().unbind());
    assertEquals("", Files.readString(igb.resolve("unbind")));
  }

  @Test
  void mapsAllOfAMemoryBarSharedWithTheFile() throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      final Mmio bar0 = pci().mapResource(0, arena);
      assertEquals(0x80080783, bar0.read32(0x8));
      bar0.write32(128 * 1024 - 4, 0xCAFEF00D); // the last register of the BAR
      final IndexOutOfBoundsException e =
          assertThrows(IndexOutOfBoundsException.class, () -> bar0.read32(128 * 1024));
      assertTrue(e.getMessage().contains("byteSize: 131072"), e.getMessage()); // the window is the whole file
    }
    final ByteBuffer after = ByteBuffer.wrap(Files.readAllBytes(device.resolve("resource0"))).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0xCAFEF00D, after.getInt(128 * 1024 - 4));
    assertEquals(128 * 1024, after.capacity());
  }

  @Test
  void anEmptyBarIsNotMapped() throws Exception {
    Files.write(device.resolve("resource1"), new byte[0]);
    final UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> pci().mapResource(1, Arena.global()));
    assertTrue(e.getMessage().startsWith(ADDRESS + ": map BAR 1") && e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void opensAnIoBarOfTheFileSize() throws Exception {
    final IoBar bar = pci().openIoResource(2);
    try (bar) {
      assertEquals(0x42, bar.ports().in(0x12, 1));
      bar.ports().in(28, 4); // the last port of the 32-byte BAR
      assertThrows(IndexOutOfBoundsException.class, () -> bar.ports().in(32, 1));
    }
    assertFalse(bar.file().isOpen(), "closing the BAR closes its file");
  }

  @Test
  void listsNetInterfaces() throws Exception {
    assertEquals(List.of("eth1"), pci().netInterfaces());
    Files.delete(device.resolve("net/eth1"));
    Files.delete(device.resolve("net"));
    assertEquals(List.of(), pci().netInterfaces());
  }

  @Test
  void failuresNameTheDeviceAndTheStep() {
    assertThrows(IllegalArgumentException.class, () -> SysfsPci.of(root, "../../../etc"));
    assertThrows(IllegalArgumentException.class, () -> SysfsPci.of(root, "0000:00:04.0/../x"));
    final UncheckedIOException missing =
        assertThrows(UncheckedIOException.class, () -> SysfsPci.of(root, "0000:00:05.0"));
    assertTrue(missing.getMessage().startsWith("0000:00:05.0: open"), missing.getMessage());

    final UncheckedIOException bar =
        assertThrows(UncheckedIOException.class, () -> pci().openIoResource(3));
    assertTrue(bar.getMessage().contains(ADDRESS) && bar.getMessage().contains("BAR 3")
        && bar.getMessage().contains("resource3"), bar.getMessage());
    assertThrows(IllegalArgumentException.class, () -> pci().mapResource(6, Arena.global()));

    assertThrows(IllegalArgumentException.class, () -> pci().bind("../igb"));
    final UncheckedIOException bind =
        assertThrows(UncheckedIOException.class, () -> pci().bind("e1000"));
    assertTrue(bind.getMessage().contains(ADDRESS) && bind.getMessage().contains("bind to e1000"), bind.getMessage());
    assertTrue(Files.notExists(root.resolve("bus/pci/drivers/e1000")), "bind must not create files");
  }
}
