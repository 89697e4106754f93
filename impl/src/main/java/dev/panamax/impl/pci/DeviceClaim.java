package dev.panamax.impl.pci;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.panamax.api.DeviceException;
import dev.panamax.impl.device.InProcessClaims;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The exclusive, system-wide claim of one PCI device: an OS file lock ({@link
 * FileChannel#tryLock()}, an fcntl record lock on Linux) on {@code <runDir>/<address>.lock},
 * {@code /run/panamax} by default. The kernel drops the lock when the process dies, however it
 * dies, so a crashed holder never blocks the device. The holder writes its PID and command into
 * the file, so a refused opener can name it.
 *
 * <p>Rules that keep the lock sound: a process takes it once (the in-process check in {@link
 * InProcessClaims} comes first, because a second channel on the same file would share and, on
 * close, drop this process's lock); the file is never deleted, only emptied on release, so two
 * processes can never hold locks on two different files of the same name.
 */
public final class DeviceClaim {
  private final String address;
  private final Path lockFile;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean released;

  private DeviceClaim(String address, Path lockFile, FileChannel channel, FileLock lock) {
    this.address = address;
    this.lockFile = lockFile;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Claims the device for this process, before anything is written to it.
   *
   * @param runDir where lock files live, e.g. {@code /run/panamax}
   * @param address the canonical PCI address
   * @return the claim; {@link #release()} gives it up
   * @throws DeviceException at step "claim device": open in this process already, in use by
   *     another process (named by PID and command), or the lock file cannot be used
   */
  public static DeviceClaim acquire(Path runDir, String address) {
    InProcessClaims.claim(address);
    final Path lockFile = runDir.resolve(address + ".lock");
    FileChannel channel = null;
    try {
      Files.createDirectories(runDir);
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      final FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new DeviceException(address, "claim device", "in use by " + holder(channel)
            + "; lock " + lockFile);
      }
      final DeviceClaim claim = new DeviceClaim(address, lockFile, channel, lock);
      claim.recordHolder();
      return claim;
    } catch (IOException | OverlappingFileLockException | DeviceException e) {
      closeQuietly(channel);
      InProcessClaims.release(address);
      if (e instanceof DeviceException d) {
        throw d;
      }
      throw new DeviceException(address, "claim device", "cannot lock " + lockFile + ": " + e, e);
    }
  }

  /**
   * Returns the lock file.
   *
   * @return {@code <runDir>/<address>.lock}
   */
  public Path lockFile() {
    return lockFile;
  }

  /**
   * Tells whether the claim is still held.
   *
   * @return {@code false} once released
   */
  public boolean isHeld() {
    return !released;
  }

  /**
   * Gives the claim up: empties the file and releases the lock. Call it only after the device
   * is stopped and handed back. Never throws; runs once.
   */
  public void release() {
    if (released) {
      return;
    }
    released = true;
    try {
      channel.truncate(0);
      lock.release();
    } catch (IOException ignored) {
      // Closing the channel below releases the lock all the same.
    } finally {
      closeQuietly(channel);
      InProcessClaims.release(address);
    }
  }

  private void recordHolder() throws IOException {
    final String text = "pid=" + ProcessHandle.current().pid() + "\ncommand="
        + System.getProperty("sun.java.command", "java") + "\n";
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(text.getBytes(UTF_8)), 0);
    channel.force(false);
  }

  /** Describes the process holding the lock from what it recorded: "PID 1234 (command)". */
  static String holder(FileChannel channel) throws IOException {
    final ByteBuffer buffer = ByteBuffer.allocate(4096);
    channel.read(buffer, 0);
    final String text = new String(buffer.array(), 0, buffer.position(), UTF_8);
    final Optional<String> pid = field(text, "pid");
    if (pid.isEmpty()) {
      return "another process (it has not recorded its PID yet)";
    }
    return "PID " + pid.get() + field(text, "command").map(c -> " (" + c + ")").orElse("");
  }

  private static Optional<String> field(String text, String name) {
    for (String line : text.split("\n", -1)) {
      if (line.startsWith(name + "=") && line.length() > name.length() + 1) {
        return Optional.of(line.substring(name.length() + 1).strip());
      }
    }
    return Optional.empty();
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing more to release.
      }
    }
  }
}
