import dev.panamax.api.*;
class StringAndComparisonUses {
  String describe(OwnedPacket p, OwnedPacket q) {
    return p + " from " + p.poolName() + (p == q ? " same" : " other");
  }
}
