package dev.panamax.impl;

import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.spi.PanamaxProvider;
import java.lang.foreign.Arena;

/** Placeholder provider. */
public final class DefaultProvider implements PanamaxProvider {
  @Override
  public NetworkDevice open(String spec, DeviceOptions options) {
    throw new UnsupportedOperationException(spec);
  }

  @Override
  public Mempool createMempool(Arena arena, DmaSource source, int entrySize, int entryCount, String name) {
    throw new UnsupportedOperationException(name);
  }
}
