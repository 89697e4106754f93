package dev.panamax.api;

import java.lang.foreign.Arena;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

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

  /**
   * Binds PCI devices to vfio-pci for root or for a user ({@link NetworkDevice#bindToVfio}).
   *
   * @param specs PCI addresses
   * @param user the user to grant the devices to, or {@code null} for root only
   * @param progress receives one line per step done
   * @return one binding per device
   */
  default List<VfioBinding> bindToVfio(List<String> specs, @Nullable String user,
      Consumer<String> progress) {
    throw new UnsupportedOperationException("this Panamax implementation cannot bind devices");
  }

  /**
   * Gives devices bound by {@link #bindToVfio} back to their kernel drivers ({@link
   * NetworkDevice#unbindFromVfio}).
   *
   * @param specs PCI addresses
   * @param progress receives one line per step done
   */
  default void unbindFromVfio(List<String> specs, Consumer<String> progress) {
    throw new UnsupportedOperationException("this Panamax implementation cannot unbind devices");
  }
}
