package dev.panamax.impl.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DeviceException;
import dev.panamax.impl.device.InProcessClaims;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system-wide device claim in a temporary directory: one holder, its PID recorded, a second
 * opener in this process or in another one refused with the holder named, and the lock gone
 * when the holder closes or dies.
 */
class DeviceClaimTest {
  private static final String ADDRESS = "0000:07:00.0";

  @TempDir Path run;

  @Test
  void theHolderRecordsItsPidAndReleasingEmptiesTheFile() throws Exception {
    final DeviceClaim claim = DeviceClaim.acquire(run.resolve("panamax"), ADDRESS);
    final Path file = run.resolve("panamax/" + ADDRESS + ".lock");
    assertEquals(file, claim.lockFile());
    assertTrue(Files.readString(file).startsWith("pid=" + ProcessHandle.current().pid() + "\ncommand="),
        Files.readString(file));
    assertTrue(InProcessClaims.isClaimed(ADDRESS));
    claim.release();
    claim.release(); // once only
    assertFalse(claim.isHeld());
    assertFalse(InProcessClaims.isClaimed(ADDRESS));
    assertEquals("", Files.readString(file), "the file stays, empty: never two files of one name");
    DeviceClaim.acquire(run, ADDRESS).release();
  }

  @Test
  void aSecondClaimInThisProcessIsRefusedAndLeavesTheFirstIntact() throws Exception {
    final DeviceClaim first = DeviceClaim.acquire(run, ADDRESS);
    try {
      final DeviceException e = assertThrows(DeviceException.class, () -> DeviceClaim.acquire(run, ADDRESS));
      assertEquals(ADDRESS, e.device());
      assertEquals("claim device", e.step());
      assertTrue(e.getMessage().startsWith(ADDRESS + ": claim device: already open in this process"),
          e.getMessage());
      assertTrue(first.isHeld());
      assertTrue(Files.readString(first.lockFile()).startsWith("pid=" + ProcessHandle.current().pid()));
    } finally {
      first.release();
    }
  }

  @Test
  void anotherProcessHoldingTheLockIsNamedAndItsDeathReleasesTheDevice() throws Exception {
    final Path lockFile = run.resolve(ADDRESS + ".lock");
    final Path source = run.resolve("Holder.java");
    // Another JVM takes the same kind of lock (fcntl, through FileChannel) and records itself.
    Files.writeString(source, """
        import java.nio.*; import java.nio.channels.*; import java.nio.file.*;
        public class Holder {
          public static void main(String[] a) throws Exception {
            FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (c.tryLock() == null) { System.out.println("busy"); return; }
            c.write(ByteBuffer.wrap(("pid=" + ProcessHandle.current().pid()
                + "\\ncommand=holder-test 0000:07:00.0\\n").getBytes()), 0);
            System.out.println("locked");
            System.in.read();
          }
        }
        """);
    final Process holder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), source.toString(),
        lockFile.toString()).redirectErrorStream(true).start();
    try {
      final BufferedReader out = new BufferedReader(
          new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", out.readLine());
      final DeviceException e = assertThrows(DeviceException.class, () -> DeviceClaim.acquire(run, ADDRESS));
      assertEquals(ADDRESS + ": claim device: in use by PID " + holder.pid()
          + " (holder-test 0000:07:00.0); lock " + lockFile, e.getMessage());
      assertFalse(InProcessClaims.isClaimed(ADDRESS), "a refused claim leaves nothing claimed");
      // SIGKILL: no chance to clean up; the kernel drops the lock with the process.
      holder.destroyForcibly();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
      final DeviceClaim claim = DeviceClaim.acquire(run, ADDRESS);
      assertTrue(Files.readString(lockFile).startsWith("pid=" + ProcessHandle.current().pid() + "\n"));
      claim.release();
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void anUnusableDirectoryIsAOneLineRefusal() throws Exception {
    final Path notADirectory = Files.writeString(run.resolve("file"), "x");
    final DeviceException e = assertThrows(DeviceException.class, () -> DeviceClaim.acquire(notADirectory, ADDRESS));
    assertEquals("claim device", e.step());
    assertTrue(e.getMessage().startsWith(ADDRESS + ": claim device: cannot lock " + notADirectory.resolve(ADDRESS + ".lock")),
        e.getMessage());
    assertFalse(InProcessClaims.isClaimed(ADDRESS));
  }
}
