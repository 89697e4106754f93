package dev.panamax.impl.unsafe;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class LibcTest {
  @Test
  void mlockAndMunlockOrdinaryMemorySucceed() {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment memory = arena.allocate(8192, 4096);
      Libc.mlock(memory, "test memory");
      Libc.munlock(memory, "test memory");
    }
  }

  @Test
  @SuppressWarnings("restricted") // a segment for page 0, never dereferenced from Java
  void mlockFailureReportsErrnoText() {
    // Page 0 is never mapped, so the kernel answers ENOMEM.
    final MemorySegment unmapped = MemorySegment.NULL.reinterpret(4096);
    final DmaException e =
        assertThrows(DmaException.class, () -> Libc.mlock(unmapped, "page zero"));
    assertTrue(e.getMessage().contains("mlock of 4096 bytes of page zero failed")
        && e.getMessage().contains("Cannot allocate memory (errno 12)"), e.getMessage());
  }

  @Test
  void describeUsesStrerror() {
    final String text = Libc.describe(1);
    assertTrue(text.equals("Operation not permitted (errno 1)"), text);
  }
}
