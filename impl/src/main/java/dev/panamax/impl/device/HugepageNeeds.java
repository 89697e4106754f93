package dev.panamax.impl.device;

import dev.panamax.impl.unsafe.BusAddresses;

/** Tells a user how many hugepages opening a device needs, for allocation error messages. */
public final class HugepageNeeds {
  private static final int PAGE_SHIFT = BusAddresses.PAGE_SHIFT;

  private HugepageNeeds() {}

  /**
   * Describes the total need of a device whose DMA memory comes in several regions, each
   * rounded up to whole 2 MiB pages.
   *
   * @param regions the byte sizes of the regions the device allocates
   * @return e.g. "; opening this device needs 5 free 2 MiB hugepages in all"
   */
  public static String describe(long... regions) {
    long pages = 0;
    for (long bytes : regions) {
      pages += (bytes + (1L << PAGE_SHIFT) - 1) >>> PAGE_SHIFT;
    }
    return "; opening this device needs " + pages + " free 2 MiB hugepages in all";
  }
}
