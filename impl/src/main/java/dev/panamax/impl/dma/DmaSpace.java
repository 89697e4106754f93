package dev.panamax.impl.dma;

/**
 * The addresses a device is given for memory: physical addresses (the device reaches any page of
 * the machine; nothing stops a wrong one), or I/O virtual addresses an IOMMU translates, which
 * reach only memory mapped into the device's IOMMU container (VFIO). A PCI driver holds the
 * space its device was opened in; its rings write every address through it.
 */
public interface DmaSpace {
  /** Physical addresses from the page map; memory is reachable when it has them. */
  DmaSpace PHYSICAL = new DmaSpace() {
    @Override
    public boolean iommu() {
      return false;
    }

    @Override
    public void makeReachable(DmaMemory memory) {
      memory.physical();
    }

    @Override
    public String toString() {
      return "physical addresses";
    }
  };

  /**
   * Tells whether addresses go through an IOMMU.
   *
   * @return {@code true} for I/O virtual addresses
   */
  boolean iommu();

  /**
   * Makes memory reachable for devices in this space: maps it into the IOMMU, or checks that its
   * physical addresses are known. Slow path: once per memory block.
   *
   * @param memory hugepage memory
   * @throws DmaException if it cannot be reached, with the reason
   */
  void makeReachable(DmaMemory memory);
}
