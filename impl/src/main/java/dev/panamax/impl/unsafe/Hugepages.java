package dev.panamax.impl.unsafe;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Placeholder until the hugepage allocator lands. */
final class Hugepages {
  private Hugepages() {}

  static DmaMemory allocate(Arena arena, long size, @Nullable Path mountPoint) {
    throw new DmaException("hugepage allocation is not implemented yet");
  }
}
