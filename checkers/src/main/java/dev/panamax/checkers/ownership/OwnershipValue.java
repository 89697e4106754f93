package dev.panamax.checkers.ownership;

import java.util.Objects;
import org.checkerframework.dataflow.analysis.AbstractValue;

/**
 * What a packet variable may hold at a program point: a set of possibilities, joined by union.
 *
 * <ul>
 *   <li>{@link #OWN}: a packet this variable must consume (state OWNED);
 *   <li>{@link #CONS}: a dead handle, already consumed (state CONSUMED; with OWN: MAYBE_CONSUMED);
 *   <li>{@link #BOR}: a lent packet that may be used but not consumed (state BORROWED);
 *   <li>{@link #NONE}: no packet (null, not yet assigned, or a leak already reported);
 *   <li>{@link #UNCHK}: owned, but only on a path where an unchecked exception is propagating;
 *       such a path is not reported as a leak (like the Resource Leak Checker's default).
 * </ul>
 *
 * <p>{@link #noDefaultSwitch} remembers why a packet is still owned after a switch statement
 * whose arms all consume it: it is the start position of a switch without {@code default} when
 * every path that keeps the packet owned went through that switch's "no case matched" exit.
 */
final class OwnershipValue implements AbstractValue<OwnershipValue> {
  static final int OWN = 1;
  static final int CONS = 2;
  static final int BOR = 4;
  static final int NONE = 8;
  static final int UNCHK = 16;

  final int flags;
  /** Line where ownership was last acquired, or -1. */
  final long ownedLine;
  /** Line of the consumption, or -1. */
  final long consumedLine;
  /** How it was consumed ("freed", "sent", ...), or "". */
  final String consumedHow;
  /** The switch without default whose no-match exit alone keeps it owned, or -1. */
  final long noDefaultSwitch;

  OwnershipValue(int flags, long ownedLine, long consumedLine, String consumedHow) {
    this(flags, ownedLine, consumedLine, consumedHow, -1);
  }

  private OwnershipValue(
      int flags, long ownedLine, long consumedLine, String consumedHow, long noDefaultSwitch) {
    this.flags = flags;
    this.ownedLine = ownedLine;
    this.consumedLine = consumedLine;
    this.consumedHow = consumedHow;
    this.noDefaultSwitch = (flags & OWN) != 0 ? noDefaultSwitch : -1;
  }

  static OwnershipValue owned(long line) {
    return new OwnershipValue(OWN, line, -1, "");
  }

  static OwnershipValue borrowed() {
    return new OwnershipValue(BOR, -1, -1, "");
  }

  static OwnershipValue none() {
    return new OwnershipValue(NONE, -1, -1, "");
  }

  static OwnershipValue consumed(long line, String how) {
    return new OwnershipValue(CONS, -1, line, how);
  }

  boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** Owned on some path that must be reported if it leaks. */
  boolean mustConsume() {
    return has(OWN);
  }

  /** Owned on some path, possibly only an unchecked-exception path. */
  boolean mayOwn() {
    return has(OWN) || has(UNCHK);
  }

  boolean definitelyConsumed() {
    return flags == CONS || flags == (CONS | NONE);
  }

  OwnershipValue withFlags(int newFlags) {
    return new OwnershipValue(newFlags, ownedLine, consumedLine, consumedHow, noDefaultSwitch);
  }

  /** This value on the exit of the switch at {@code switchPos} taken when no case matches. */
  OwnershipValue leavingSwitchWithoutDefault(long switchPos) {
    return new OwnershipValue(flags, ownedLine, consumedLine, consumedHow, switchPos);
  }

  @Override
  public OwnershipValue leastUpperBound(OwnershipValue other) {
    long consLine = consumedLine;
    String how = consumedHow;
    if (other.consumedLine > consLine
        || (other.consumedLine == consLine && other.consumedHow.compareTo(how) > 0)) {
      consLine = other.consumedLine;
      how = other.consumedHow;
    }
    long sw;
    if (has(OWN) && other.has(OWN)) {
      // both keep it owned: the switch explains it only if it explains both
      sw = noDefaultSwitch >= 0 && other.noDefaultSwitch >= 0
          ? Math.max(noDefaultSwitch, other.noDefaultSwitch)
          : -1;
    } else {
      sw = has(OWN) ? noDefaultSwitch : other.noDefaultSwitch;
    }
    return new OwnershipValue(
        flags | other.flags, Math.max(ownedLine, other.ownedLine), consLine, how, sw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OwnershipValue v
        && v.flags == flags
        && v.ownedLine == ownedLine
        && v.consumedLine == consumedLine
        && v.consumedHow.equals(consumedHow)
        && v.noDefaultSwitch == noDefaultSwitch;
  }

  @Override
  public int hashCode() {
    return Objects.hash(flags, ownedLine, consumedLine, consumedHow, noDefaultSwitch);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    if (has(OWN)) sb.append("OWNED ");
    if (has(UNCHK)) sb.append("OWNED(unchecked-exception) ");
    if (has(CONS)) sb.append("CONSUMED@").append(consumedLine).append(' ');
    if (has(BOR)) sb.append("BORROWED ");
    if (has(NONE)) sb.append("NONE ");
    return sb.toString().trim() + "}";
  }
}
