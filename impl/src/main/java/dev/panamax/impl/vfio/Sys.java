package dev.panamax.impl.vfio;

import dev.panamax.impl.unsafe.Posix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;

/**
 * The {@link Posix} calls with their results checked: each returns what succeeded or throws an
 * {@link IOException} "WHAT: ENAME (meaning)". Each call allocates its errno slot in a confined
 * arena; none runs per packet.
 */
final class Sys {
  static final StructLayout STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(1, "EPERM (operation not permitted)"), Map.entry(2, "ENOENT (no such file)"),
      Map.entry(4, "EINTR (interrupted)"), Map.entry(5, "EIO (I/O error)"),
      Map.entry(6, "ENXIO (no such device or address)"), Map.entry(9, "EBADF (bad file descriptor)"),
      Map.entry(11, "EAGAIN (try again)"), Map.entry(12, "ENOMEM (out of memory, or over the locked-memory limit)"),
      Map.entry(13, "EACCES (permission denied)"), Map.entry(14, "EFAULT (bad address)"),
      Map.entry(16, "EBUSY (in use)"), Map.entry(17, "EEXIST (already exists)"),
      Map.entry(19, "ENODEV (no such device)"), Map.entry(22, "EINVAL (invalid argument)"),
      Map.entry(25, "ENOTTY (not supported by this file)"), Map.entry(28, "ENOSPC (no space left)"));

  private Sys() {}

  /**
   * Starts making the {@link Posix} call handles on a daemon thread, so that the JVM generates
   * their code while the caller's thread checks, claims and binds the device. In the test bed's
   * emulated guest the eleven handles take about 1.5 s to link (docs/performance.md, "Where a
   * device-opening start goes"). The first call waits for them if they are not done yet: the
   * JVM initialises a class once, on one thread, and holds other threads until it has. A failure
   * here is left to that first call, which reports it with the device and the step.
   *
   * @return the linking thread, a daemon that ends when the handles are made
   */
  static Thread linkAhead() {
    return Thread.ofPlatform().daemon().name("panamax-vfio-link").start(() -> {
      try {
        MethodHandles.lookup().ensureInitialized(Posix.class);
      } catch (IllegalAccessException | RuntimeException | Error e) { // reported by the first call
      }
    });
  }

  /** Names an errno value, e.g. "EBUSY (in use)". */
  static String errnoName(int errno) {
    return NAMES.getOrDefault(errno, "errno " + errno);
  }

  /** A C call that returns -1 and sets errno on failure. */
  @FunctionalInterface
  interface Call {
    long invoke(MemorySegment state) throws Throwable;
  }

  /** Runs a call; returns its non-negative result or throws "WHAT: ERRNO". */
  static long run(String what, Call call) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment state = arena.allocate(STATE);
      final long result = call.invoke(state);
      if (result < 0) {
        throw new SysException(what, (int) ERRNO.get(state, 0L));
      }
      return result;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(what + ": " + t, t);
    }
  }

  static int open(String path) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment name = arena.allocateFrom(path);
      return (int) run("open " + path, s -> Posix.open(s, name, 0x2 | 0x80000)); // O_RDWR|O_CLOEXEC
    }
  }

  /** Closes a descriptor; errors are ignored (Linux frees the descriptor in any case). */
  static void closeQuietly(int fd) {
    if (fd < 0) {
      return;
    }
    try {
      run("close", s -> Posix.close(s, fd));
    } catch (IOException e) {
      // close(2): "the file descriptor is released" even when close reports an error.
    }
  }

  static int ioctl(int fd, long request, MemorySegment struct, String what) throws IOException {
    return (int) run(what, s -> Posix.ioctl(s, fd, request, struct));
  }

  static int ioctl(int fd, long request, long value, String what) throws IOException {
    return (int) run(what, s -> Posix.ioctl(s, fd, request, value));
  }

  /** Reads exactly {@code buffer.byteSize()} bytes at {@code offset}. */
  static void pread(int fd, MemorySegment buffer, long offset, String what) throws IOException {
    final long n = run(what, s -> Posix.pread(s, fd, buffer, offset));
    if (n != buffer.byteSize()) {
      throw new IOException(what + ": read " + n + " of " + buffer.byteSize() + " bytes");
    }
  }

  /** Writes exactly {@code buffer.byteSize()} bytes at {@code offset}. */
  static void pwrite(int fd, MemorySegment buffer, long offset, String what) throws IOException {
    final long n = run(what, s -> Posix.pwrite(s, fd, buffer, offset));
    if (n != buffer.byteSize()) {
      throw new IOException(what + ": wrote " + n + " of " + buffer.byteSize() + " bytes");
    }
  }

  static MemorySegment mmap(int fd, long offset, long size, Arena arena, String what) throws IOException {
    final MemorySegment[] mapped = new MemorySegment[1];
    run(what, s -> {
      mapped[0] = Posix.mmap(s, fd, offset, size, arena);
      return mapped[0].equals(MemorySegment.NULL) ? -1 : 0;
    });
    return mapped[0];
  }

  /** An eventfd, close-on-exec, counter 0. */
  static int eventfd() throws IOException {
    return (int) run("eventfd", s -> Posix.eventfd(s, 0x80000)); // EFD_CLOEXEC
  }

  /** The bytes a {@link Waiter} needs. */
  static final long WAIT_BYTES = 16 + STATE.byteSize();

  /**
   * Waits on one eventfd with memory allocated once, so that a wait allocates nothing: poll, then
   * read the counter if it is readable.
   */
  static final class Waiter {
    private final int fd;
    private final MemorySegment pollfd;
    private final MemorySegment counter;
    private final MemorySegment state;

    Waiter(int fd, Arena arena) {
      final MemorySegment memory = arena.allocate(WAIT_BYTES, 8);
      this.fd = fd;
      this.pollfd = memory.asSlice(0, 8);
      this.counter = memory.asSlice(8, 8);
      this.state = memory.asSlice(16);
    }

    /**
     * Waits until the eventfd was signalled or the time is up; an interrupted wait returns 0.
     *
     * @return the signals counted since the last wait, 0 on timeout
     */
    long await(int timeoutMillis) throws IOException {
      pollfd.set(ValueLayout.JAVA_INT, 0, fd);
      pollfd.set(ValueLayout.JAVA_INT, 4, 1); // events = POLLIN, revents = 0
      try {
        final int ready = Posix.poll(state, pollfd, timeoutMillis);
        if (ready <= 0) {
          final int errno = (int) ERRNO.get(state, 0L);
          if (ready == 0 || errno == 4) { // timeout, or EINTR
            return 0;
          }
          throw new SysException("poll", errno);
        }
        if (Posix.read(state, fd, counter) != 8) {
          throw new SysException("read eventfd", (int) ERRNO.get(state, 0L));
        }
        return counter.get(ValueLayout.JAVA_LONG, 0);
      } catch (IOException | RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException("poll: " + t, t);
      }
    }
  }

  /** A failed call, with its errno. */
  static final class SysException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    SysException(String what, int errno) {
      super(what + ": " + errnoName(errno));
      this.errno = errno;
    }

    int errno() {
      return errno;
    }
  }
}
