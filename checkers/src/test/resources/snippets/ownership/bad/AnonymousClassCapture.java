import dev.panamax.api.*;
class AnonymousClassCapture {
  Runnable f(OwnedPacket p) {
    return new Runnable() {
      @Override
      public void run() {
        System.out.println(p.length()); // error: ownership.escape
      }
    };
  }
}
