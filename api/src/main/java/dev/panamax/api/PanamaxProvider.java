package dev.panamax.api;

import java.lang.foreign.Arena;

/**
 * Service interface implemented by {@code dev.panamax.impl} and found with {@link
 * java.util.ServiceLoader}; the API's static factories delegate here. Applications do not use it.
 */
public interface PanamaxProvider {

  /**
   * Opens a device.
   *
   * @param spec a PCI address or a virtual device name
   * @param options queue, ring and buffer settings
   * @return the opened device
   */
  NetworkDevice open(String spec, DeviceOptions options);

  /**
   * Creates a mempool, with the lifetime rules of {@link Mempool}.
   *
   * @param arena the arena whose closing retires the pool
   * @param source where the memory comes from
   * @param entrySize bytes per buffer
   * @param entryCount number of buffers
   * @param name name for diagnostics
   * @return the pool
   */
  Mempool createMempool(Arena arena, DmaSource source, int entrySize, int entryCount, String name);

  /**
   * Recovers a PCI device left behind by a process that died while it had the device open.
   *
   * @param spec a PCI address
   * @return what was done, one line
   */
  default String recover(String spec) {
    throw new UnsupportedOperationException("this Panamax implementation cannot recover devices");
  }
}
