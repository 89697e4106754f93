package dev.panamax.impl.pci;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.panamax.impl.dma.DmaException;
import dev.panamax.impl.dma.DmaFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What must survive the process that holds a PCI device, so that the next claim can clean up
 * after a crash: {@code <runDir>/<address>.driver} ({@code /run/panamax/0000:01:00.0.driver})
 * holds the kernel driver the device had before Panamax first took it ({@code driver=e1000},
 * empty if none) and the holder's PID. It is written under the claim before anything is
 * written to the device, and deleted only after the device was stopped and bound back.
 *
 * <p>A record that names another PID, or DMA files ({@link DmaFiles}) of another PID, found
 * under the claim, can only be left by a holder that died: the claim is exclusive and the
 * kernel released the dead holder's lock. Such a device may still be running; see {@link
 * PciOpener.Context#recover}.
 */
final class HandoverRecord {
  private static final Pattern DRIVER = Pattern.compile("[A-Za-z0-9_.-]+");

  private final Path file;
  private final String address;
  private final @Nullable String originalDriver;
  private final long deadPid;
  private final List<DmaFiles.Found> staleFiles;
  private final Path procMounts;
  private final long self = ProcessHandle.current().pid();

  private HandoverRecord(Path file, String address, @Nullable String originalDriver, long deadPid,
      List<DmaFiles.Found> staleFiles, Path procMounts) {
    this.file = file;
    this.address = address;
    this.originalDriver = originalDriver;
    this.deadPid = deadPid;
    this.staleFiles = staleFiles;
    this.procMounts = procMounts;
  }

  /**
   * Reads what a dead holder left, then records this process as the holder. Call it under the
   * claim only.
   *
   * @param runDir the directory of claims and records
   * @param address the canonical PCI address
   * @param currentDriver the kernel driver bound now, or {@code null}
   * @param procMounts the mount table in which DMA files are looked for
   * @return the record
   * @throws UncheckedIOException or {@link DmaException} if the record cannot be read or written
   */
  static HandoverRecord take(Path runDir, String address, @Nullable String currentDriver,
      Path procMounts) {
    final Path file = runDir.resolve(address + ".driver");
    final long self = ProcessHandle.current().pid();
    String original = currentDriver;
    long deadPid = -1;
    try {
      if (Files.exists(file)) {
        final String text = Files.readString(file, UTF_8);
        final String driver = field(text, "driver").orElse("");
        original = DRIVER.matcher(driver).matches() ? driver : null;
        deadPid = field(text, "pid").filter(p -> p.matches("[0-9]{1,18}")).map(Long::parseLong).orElse(0L);
      }
      final List<DmaFiles.Found> stale = DmaFiles.find(address, procMounts).stream()
          .filter(f -> f.pid() != self).toList();
      final Path temporary = runDir.resolve(address + ".driver.tmp");
      Files.writeString(temporary, "driver=" + (original == null ? "" : original) + "\npid=" + self
          + "\n", UTF_8);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return new HandoverRecord(file, address, original, deadPid == self ? -1 : deadPid, stale, procMounts);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e, e);
    }
  }

  /**
   * Returns the kernel driver to bind back.
   *
   * @return e.g. "e1000", or {@code null} if the device had none
   */
  @Nullable String originalDriver() {
    return originalDriver;
  }

  /**
   * Tells whether a dead holder left a record or DMA files.
   *
   * @return {@code true} if the device must be recovered before use
   */
  boolean isStale() {
    return deadPid >= 0 || !staleFiles.isEmpty();
  }

  /**
   * Names the dead holder(s).
   *
   * @return e.g. "PID 1234 (no longer running)"
   */
  String describeDead() {
    final TreeSet<Long> pids = new TreeSet<>();
    if (deadPid > 0) {
      pids.add(deadPid);
    }
    staleFiles.forEach(f -> pids.add(f.pid()));
    if (pids.isEmpty()) {
      return "a process that died";
    }
    final StringBuilder text = new StringBuilder(pids.size() == 1 ? "PID " : "PIDs ");
    boolean first = true;
    for (long pid : pids) {
      text.append(first ? "" : ", ").append(pid);
      first = false;
    }
    final boolean anyAlive = pids.stream().anyMatch(p -> ProcessHandle.of(p).isPresent());
    return text + (anyAlive ? " (which no longer holds it)" : " (no longer running)");
  }

  /**
   * Deletes the DMA files of dead holders; call it only after the device was stopped.
   *
   * @return e.g. "2 stale DMA files (10 MiB) deleted"
   */
  String deleteStaleFiles() {
    DmaFiles.delete(staleFiles);
    final long bytes = staleFiles.stream().mapToLong(DmaFiles.Found::bytes).sum();
    return staleFiles.size() + " stale DMA " + (staleFiles.size() == 1 ? "file" : "files") + " ("
        + (bytes >> 20) + " MiB) deleted";
  }

  /**
   * Deletes this process's DMA files of the device; call it only after the device was stopped.
   *
   * @return a note if a file could not be deleted, or an empty string
   */
  String deleteOwnFiles() {
    try {
      DmaFiles.delete(DmaFiles.find(address, procMounts).stream().filter(f -> f.pid() == self).toList());
      return "";
    } catch (DmaException e) {
      return " (and " + e.getMessage() + ")";
    }
  }

  /**
   * Deletes the record once the device was stopped and bound back.
   *
   * @return a note if it could not be deleted, or an empty string
   */
  String delete() {
    try {
      Files.deleteIfExists(file);
      return "";
    } catch (IOException e) {
      return " (and deleting " + file + " failed: " + e + ")";
    }
  }

  private static Optional<String> field(String text, String name) {
    for (String line : text.split("\n", -1)) {
      if (line.startsWith(name + "=")) {
        return Optional.of(line.substring(name.length() + 1).strip());
      }
    }
    return Optional.empty();
  }
}
