import dev.panamax.api.*;
import java.util.Arrays;
class StoreBorrowedInArrays {
  void keep(OwnedPacket p, Object[] objects, OwnedPacket[][] grid, Object[][] rows) {
    objects[0] = p; // error: ownership.escape
    grid[1][2] = p; // error: ownership.escape
    rows[0] = new Object[] {p}; // error: ownership.escape
    Arrays.fill(objects, p); // error: ownership.escape
    p.putByte(0, (byte) 1);
  }
}
