package dev.panamax.impl.dma;

import dev.panamax.impl.unsafe.BusAddresses;

/**
 * A pretend IOMMU for the ring benchmarks: each block of ordinary memory gets the next free I/O
 * virtual range. Nothing is mapped anywhere, and no device ever sees these addresses; the rings
 * only write them into descriptors.
 */
public final class PretendIommu implements DmaSpace {
  private long next = 1L << 32;

  @Override
  public boolean iommu() {
    return true;
  }

  @Override
  public void makeReachable(DmaMemory memory) {
    memory.setIova(BusAddresses.ioVirtual(memory.segment(), next));
    next += memory.size();
  }
}
