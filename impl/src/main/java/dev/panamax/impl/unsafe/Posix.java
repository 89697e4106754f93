package dev.panamax.impl.unsafe;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;

/**
 * The C library calls of the VFIO path, which the JDK has no API for: {@code open}/{@code close}
 * of device files, {@code ioctl}, {@code mmap} of a device region, {@code pread}/{@code pwrite},
 * {@code eventfd}, {@code poll} and {@code read} (POSIX.1-2017, eventfd(2), vfio.rst). Each
 * method is the bare call: it returns the C result, -1 on failure with {@code errno} stored in
 * the caller's {@code state} segment (layout {@link Linker.Option#captureStateLayout()}); {@code
 * dev.panamax.impl.vfio.Sys} turns that into a message. The handles are made on first use, so a
 * process that never opens a device through VFIO makes no native call.
 *
 * <p>Why the calls are sound: every buffer the kernel reads or writes is a segment passed by the
 * caller, and every struct starts with {@code argsz}, which the caller sets to at most the
 * segment's size (vfio.h), so the kernel stays inside it; file descriptors belong to {@code
 * dev.panamax.impl.vfio}, which closes each exactly once.
 */
public final class Posix {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle OPEN = call("open", 0, JAVA_INT, ADDRESS, JAVA_INT);
  private static final MethodHandle CLOSE = call("close", 0, JAVA_INT, JAVA_INT);
  private static final MethodHandle IOCTL = call("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
  private static final MethodHandle IOCTL_VALUE = call("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
  private static final MethodHandle MMAP = call("mmap", 0, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
  private static final MethodHandle MUNMAP = call("munmap", 0, JAVA_INT, ADDRESS, JAVA_LONG);
  private static final MethodHandle PREAD = call("pread", 0, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
  private static final MethodHandle PWRITE = call("pwrite", 0, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
  private static final MethodHandle READ = call("read", 0, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
  private static final MethodHandle EVENTFD = call("eventfd", 0, JAVA_INT, JAVA_INT, JAVA_INT);
  private static final MethodHandle POLL = call("poll", 0, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);

  private Posix() {}

  /**
   * A downcall capturing errno; {@code variadic} &gt; 0 is the index of the first variadic
   * argument. Sound: each descriptor above is the C prototype of its function (POSIX, glibc).
   */
  private static MethodHandle call(String name, int variadic, MemoryLayout result, MemoryLayout... arguments) {
    final Linker.Option errno = Linker.Option.captureCallState("errno");
    return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), FunctionDescriptor.of(result, arguments),
        variadic > 0 ? new Linker.Option[] {errno, Linker.Option.firstVariadicArg(variadic)} : new Linker.Option[] {errno});
  }

  /** {@code open(path, flags)}. Sound: the kernel only reads the NUL-terminated path segment. */
  public static int open(MemorySegment state, MemorySegment path, int flags) throws Throwable {
    return (int) OPEN.invokeExact(state, path, flags);
  }

  /** {@code close(fd)}. Sound: no memory is involved; the owner closes each descriptor once. */
  public static int close(MemorySegment state, int fd) throws Throwable {
    return (int) CLOSE.invokeExact(state, fd);
  }

  /** {@code ioctl(fd, request, struct)}. Sound: the kernel stays within the struct's argsz. */
  public static int ioctl(MemorySegment state, int fd, long request, MemorySegment struct) throws Throwable {
    return (int) IOCTL.invokeExact(state, fd, request, struct);
  }

  /** {@code ioctl(fd, request, value)}. Sound: the argument is a number; no memory is read. */
  public static int ioctl(MemorySegment state, int fd, long request, long value) throws Throwable {
    return (int) IOCTL_VALUE.invokeExact(state, fd, request, value);
  }

  /** {@code pread(fd, buffer, size, offset)}. Sound: the kernel writes at most the buffer's size. */
  public static long pread(MemorySegment state, int fd, MemorySegment buffer, long offset) throws Throwable {
    return (long) PREAD.invokeExact(state, fd, buffer, buffer.byteSize(), offset);
  }

  /** {@code pwrite(fd, buffer, size, offset)}. Sound: the kernel reads at most the buffer's size. */
  public static long pwrite(MemorySegment state, int fd, MemorySegment buffer, long offset) throws Throwable {
    return (long) PWRITE.invokeExact(state, fd, buffer, buffer.byteSize(), offset);
  }

  /** {@code read(fd, buffer, size)}. Sound: the kernel writes at most the buffer's size. */
  public static long read(MemorySegment state, int fd, MemorySegment buffer) throws Throwable {
    return (long) READ.invokeExact(state, fd, buffer, buffer.byteSize());
  }

  /** {@code eventfd(0, flags)}. Sound: no memory is involved. */
  public static int eventfd(MemorySegment state, int flags) throws Throwable {
    return (int) EVENTFD.invokeExact(state, 0, flags);
  }

  /** {@code poll(pollfds, count, timeout)}. Sound: the kernel writes within 8 bytes an entry. */
  public static int poll(MemorySegment state, MemorySegment pollfds, int timeoutMillis) throws Throwable {
    return (int) POLL.invokeExact(state, pollfds, pollfds.byteSize() / 8, timeoutMillis);
  }

  /**
   * Maps {@code size} bytes of a file at {@code offset}, shared and read-write ({@code
   * PROT_READ | PROT_WRITE = 3}, {@code MAP_SHARED = 1}), as a segment of exactly that size,
   * unmapped when {@code arena} closes; {@link MemorySegment#NULL} on failure (errno in {@code
   * state}). Sound: the kernel maps all {@code size} bytes or none, and the segment covers them
   * and dies with them.
   */
  public static MemorySegment mmap(MemorySegment state, int fd, long offset, long size, Arena arena) throws Throwable {
    final long at = ((MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, size, 3, 1, fd, offset)).address();
    return at == -1L ? MemorySegment.NULL : MemorySegment.ofAddress(at).reinterpret(size, arena, s -> unmap(at, size));
  }

  /** Undoes one {@link #mmap}, once, from its arena. Sound: exactly the range it mapped. */
  private static void unmap(long at, long size) {
    try {
      final int ignored = (int) MUNMAP.invokeExact(Arena.ofAuto().allocate(8), MemorySegment.ofAddress(at), size);
    } catch (Throwable t) { // a cleanup must not throw; munmap of a range this process mapped cannot fail
    }
  }

  /**
   * Writes the process address of {@code memory} into the {@code vaddr} field at {@code field}
   * of a VFIO_IOMMU_MAP_DMA struct (vfio.h {@code vfio_iommu_type1_dma_map}). Sound: the IOMMU
   * then maps exactly {@code memory}'s pages, which the caller keeps alive (and mapped) until it
   * has unmapped them with VFIO_IOMMU_UNMAP_DMA.
   */
  public static void putProcessAddress(MemorySegment struct, long field, MemorySegment memory) {
    struct.set(JAVA_LONG, field, memory.address());
  }
}
