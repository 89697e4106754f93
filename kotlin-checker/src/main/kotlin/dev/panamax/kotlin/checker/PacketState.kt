package dev.panamax.kotlin.checker

/**
 * What a packet variable holds at one point of a function: the lattice of the forward dataflow
 * analysis (docs/ownership.md, "What the checker tracks").
 */
sealed interface PacketState {
  /**
   * Owned: must be consumed on every path.
   *
   * @property nullable true for a `tryAlloc` result not yet tested against `null`
   */
  data class Owned(val nullable: Boolean = false) : PacketState

  /**
   * Consumed at [line] by [how]: dead.
   *
   * @property line the source line of the consuming call
   * @property how what consumed it, as the messages say it, e.g. "freed by free()"
   */
  data class Consumed(val line: Int, val how: String) : PacketState

  /**
   * Consumed at [line] on some paths, still owned on the one described by [path].
   *
   * @property line the source line of the consuming call on the paths that consume it
   * @property how what consumed it there, e.g. "returned"
   * @property path the path on which the packet stays owned, as the messages describe it
   */
  data class Maybe(val line: Int, val how: String, val path: String) : PacketState

  /** Lent: usable, not consumable. */
  data object Borrowed : PacketState

  /** Holds no packet: `null`, or not assigned yet. */
  data object Empty : PacketState
}

/**
 * The join of two paths meeting: [a] arrives on a path described by [pathA] (used when it is the
 * path on which the packet stays owned), [b] on [pathB].
 */
fun join(a: PacketState, pathA: String, b: PacketState, pathB: String): PacketState = when {
  a == b -> a
  a is PacketState.Maybe -> a
  b is PacketState.Maybe -> b
  a is PacketState.Borrowed || b is PacketState.Borrowed -> PacketState.Borrowed
  a is PacketState.Empty -> if (b is PacketState.Owned) PacketState.Owned(true) else b
  b is PacketState.Empty -> if (a is PacketState.Owned) PacketState.Owned(true) else a
  a is PacketState.Owned && b is PacketState.Consumed -> PacketState.Maybe(b.line, b.how, pathA)
  a is PacketState.Consumed && b is PacketState.Owned -> PacketState.Maybe(a.line, a.how, pathB)
  a is PacketState.Owned && b is PacketState.Owned -> PacketState.Owned(a.nullable || b.nullable)
  a is PacketState.Consumed && b is PacketState.Consumed -> if (a.line <= b.line) a else b
  else -> a
}

/** Whether a packet in this state is (perhaps) still owned, so that losing it is a leak. */
fun PacketState.mayBeOwned(): Boolean = this is PacketState.Owned || this is PacketState.Maybe
