package dev.panamax.impl.unsafe;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library functions Panamax calls: {@code mlock}, {@code munlock} and {@code strerror}.
 * This is the only use of {@link Linker} in the project.
 *
 * <p>The downcall handles live in a lazily initialised holder, so loading this class performs no
 * restricted call; the first {@link #mlock} does.
 */
final class Libc {
  private Libc() {}

  /** Downcall handles, created on first use (a restricted operation). */
  @SuppressWarnings("restricted") // the sanctioned place for Linker downcalls
  private static final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
        CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MLOCK = errnoCall("mlock");
    private static final MethodHandle MUNLOCK = errnoCall("munlock");
    private static final MethodHandle STRERROR =
        LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    /**
     * Downcall handle for {@code int name(void*, size_t)} capturing errno. Sound: the
     * descriptor matches the libc prototype of mlock and munlock.
     */
    private static MethodHandle errnoCall(String name) {
      return LINKER.downcallHandle(
          LINKER.defaultLookup().findOrThrow(name),
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG),
          Linker.Option.captureCallState("errno"));
    }
  }

  /**
   * Locks the pages of {@code segment} in RAM so they are never swapped or migrated while a
   * device may DMA into them. Sound: the native function receives the segment itself (address
   * and length taken from a live native segment, never a forged number) and only changes page
   * residency, never contents.
   *
   * @param segment native memory to lock
   * @param what names the memory in the error message
   * @throws DmaException with errno text and the remedy if the kernel refuses
   */
  static void mlock(MemorySegment segment, String what) {
    final int errno = call(Native.MLOCK, segment);
    if (errno != 0) {
      throw new DmaException(
          "mlock of " + segment.byteSize() + " bytes of " + what + " failed: " + describe(errno)
              + " (run as root, or raise the locked-memory limit: ulimit -l unlimited)");
    }
  }

  /**
   * Unlocks the pages of {@code segment}. Sound for the same reason as {@link #mlock}.
   *
   * @param segment native memory previously locked
   * @param what names the memory in the error message
   * @throws DmaException with errno text if the kernel refuses
   */
  static void munlock(MemorySegment segment, String what) {
    final int errno = call(Native.MUNLOCK, segment);
    if (errno != 0) {
      throw new DmaException("munlock of " + what + " failed: " + describe(errno));
    }
  }

  /**
   * Returns the C library's text for an error number, e.g. "Cannot allocate memory (errno 12)".
   * Sound: {@code strerror} returns a NUL-terminated string, read no further than its end.
   *
   * @param errno the error number
   * @return text and number
   */
  @SuppressWarnings("restricted") // reads a C string returned by strerror
  static String describe(int errno) {
    try {
      final MemorySegment text = (MemorySegment) Native.STRERROR.invokeExact(errno);
      return text.reinterpret(1024).getString(0) + " (errno " + errno + ")";
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  /**
   * Calls {@code fn(segment, size)}; returns 0 on success, else errno. Sound: it passes the
   * segment's own address and size, so the range is memory this process has mapped.
   */
  private static int call(MethodHandle fn, MemorySegment segment) {
    try (Arena local = Arena.ofConfined()) {
      final MemorySegment state = local.allocate(Native.CAPTURE);
      final int rc = (int) fn.invokeExact(state, segment, segment.byteSize());
      if (rc == 0) {
        return 0;
      }
      final int errno = (int) Native.ERRNO.get(state, 0L);
      return errno != 0 ? errno : -1;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new DmaException("native call failed: " + t, t);
    }
  }
}
