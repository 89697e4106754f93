/**
 * Micrometer meter binders for Panamax: {@link dev.panamax.micrometer.DeviceMetrics} for a
 * device's counters, {@link dev.panamax.micrometer.MempoolMetrics} for a pool's buffers. Bind
 * them to any {@link io.micrometer.core.instrument.MeterRegistry} (Prometheus, OTLP, JMX, ...).
 */
@NullMarked
package dev.panamax.micrometer;

import org.jspecify.annotations.NullMarked;
