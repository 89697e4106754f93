package dev.panamax.micrometer;

import dev.panamax.api.Mempool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Binds where a pool's buffers are as Micrometer gauges, tagged {@code pool} (its name): {@code
 * panamax.mempool.capacity}, {@code panamax.mempool.free}, {@code panamax.mempool.owned} (held by
 * the application) and {@code panamax.mempool.in.flight} (held by devices). The figures are read
 * without synchronisation from the registry's thread, so one may be a moment old; they add up
 * to the capacity when the pool's thread is idle.
 */
public final class MempoolMetrics implements MeterBinder {
  private final Mempool pool;
  private final Tags tags;

  /**
   * Creates a binder for a pool.
   *
   * @param pool the pool to observe; keep it referenced while it is used
   */
  public MempoolMetrics(Mempool pool) {
    this(pool, Tags.empty());
  }

  /**
   * Creates a binder for a pool with extra tags.
   *
   * @param pool the pool to observe; keep it referenced while it is used
   * @param tags tags added to every meter, besides {@code pool}
   */
  public MempoolMetrics(Mempool pool, Iterable<Tag> tags) {
    this.pool = Objects.requireNonNull(pool, "MempoolMetrics: pool must not be null");
    this.tags = Tags.concat(tags, "pool", pool.name());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "capacity", "Buffers in the pool", Mempool::capacity);
    gauge(registry, "free", "Buffers on the free stack", Mempool::freeCount);
    gauge(registry, "owned", "Buffers the application holds", Mempool::ownedCount);
    gauge(registry, "in.flight", "Buffers devices hold", Mempool::inFlightCount);
  }

  private void gauge(MeterRegistry registry, String name, String description,
      ToIntFunction<Mempool> value) {
    Gauge.builder("panamax.mempool." + name, pool, p -> value.applyAsInt(p))
        .baseUnit(BaseUnits.BUFFERS)
        .description(description)
        .tags(tags)
        .register(registry);
  }
}
