package dev.panamax.impl.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.OwnedPacket;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/**
 * The default mode's documented limit: one preallocated handle per buffer, so once a buffer is
 * handed out again, its old handle is the new owner's handle and a stale use cannot be told
 * apart. (A stale use before the reuse throws: see MempoolTest.) Strict mode closes the gap:
 * StrictOwnershipTest.
 */
class DefaultOwnershipModeTest {

  @Test
  void aStaleUseAfterTheBufferWasReusedGoesUndetectedInTheDefaultMode() {
    assertFalse(PacketBuffer.STRICT, "the default surefire execution runs without strict mode");
    try (Arena arena = Arena.ofConfined()) {
      final Mempool p = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 1, "default");
      final OwnedPacket stale = p.alloc(60);
      stale.free();
      final OwnedPacket owner = p.alloc(60);
      assertSame(stale, owner, "the same preallocated handle");
      stale.putByte(0, (byte) 42); // a bug, but it writes the new owner's packet without error
      assertEquals(42, owner.getByte(0));
      owner.free();
    }
  }
}
