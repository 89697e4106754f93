import dev.panamax.api.*;
class ExhaustiveSwitchForms {
  enum Verdict { FORWARD, DROP }

  sealed interface Rule permits Forward, Drop {}

  record Forward(PacketBatch to) implements Rule {}

  record Drop() implements Rule {}

  int expression(PacketBatch in, PacketBatch out, Verdict v) {
    OwnedPacket p = in.take();
    return switch (v) {
      case FORWARD -> {
        out.add(p);
        yield 1;
      }
      case DROP -> {
        p.free();
        yield 0;
      }
    };
  }

  int expressionColonForm(PacketBatch in, PacketBatch out, Verdict v) {
    OwnedPacket p = in.take();
    int sent = switch (v) {
      case FORWARD:
        out.add(p);
        yield 1;
      case DROP:
        p.free();
        yield 0;
    };
    return sent;
  }

  void sealedPatterns(PacketBatch in, Rule rule) {
    OwnedPacket p = in.take();
    switch (rule) {
      case Forward f -> f.to().add(p);
      case Drop d -> p.free();
    }
  }

  void nullAndDefault(PacketBatch in, PacketBatch out, Verdict v) {
    OwnedPacket p = in.take();
    switch (v) {
      case FORWARD -> out.add(p);
      case null, default -> p.free();
    }
  }

  void enumWithNullCase(PacketBatch in, PacketBatch out, Verdict v) {
    OwnedPacket p = in.take();
    switch (v) {
      case FORWARD -> out.add(p);
      case DROP -> p.free();
      case null -> p.free();
    }
  }

  void classicWithDefault(PacketBatch in, PacketBatch out, Verdict v) {
    OwnedPacket p = in.take();
    switch (v) {
      case FORWARD -> out.add(p);
      case DROP -> p.free();
      default -> p.free();
    }
  }

  void consumedAfterTheSwitch(PacketBatch in, PacketBatch out, Verdict v) {
    OwnedPacket p = in.take();
    switch (v) {
      case FORWARD -> p.putByte(0, (byte) 1);
      case DROP -> p.setLength(0);
    }
    out.add(p);
  }
}
