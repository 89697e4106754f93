import dev.panamax.api.*;
class IntSwitchWithoutDefault {
  void byProtocol(PacketBatch in, PacketBatch tcp, PacketBatch udp) {
    while (!in.isEmpty()) {
      OwnedPacket p = in.take(); // error: ownership.leak
      switch (p.getUnsignedByte(23)) {
        case 6:
          tcp.add(p);
          break;
        case 17:
          udp.add(p);
          break;
      }
    }
  }

  void byName(Mempool pool, PacketBatch out, String mode) {
    OwnedPacket p = pool.alloc(60); // error: ownership.leak
    switch (mode) {
      case "send" -> out.add(p);
      case "drop" -> p.free();
    }
  }
}
