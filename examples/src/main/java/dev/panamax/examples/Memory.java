package dev.panamax.examples;

import dev.panamax.api.DmaSource;

/** Where an example app takes packet memory from ({@code --memory}). */
public enum Memory {
  /** Virtual memory for in-memory devices, hugepages for PCI devices. */
  AUTO,
  /** Hugepages (needed by real NICs). */
  HUGEPAGES,
  /** Native memory that no device can reach (in-memory devices only). */
  VIRTUAL;

  /**
   * Resolves the choice for a device spec.
   *
   * @param spec the device spec
   * @return the DMA source
   */
  public DmaSource sourceFor(String spec) {
    return switch (this) {
      case HUGEPAGES -> DmaSource.hugepages();
      case VIRTUAL -> DmaSource.virtualMemory();
      case AUTO -> spec.startsWith("pair:") || spec.startsWith("null:")
          ? DmaSource.virtualMemory()
          : DmaSource.hugepages();
    };
  }
}
