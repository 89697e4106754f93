package dev.panamax.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link PairForwardBenchmark} in strict ownership mode ({@code -Dpanamax.strictOwnership=true}):
 * every receive hands the application a fresh packet handle, so a stale handle is detected even
 * after its buffer was reused. The difference between the two scores is the cost of the mode;
 * {@code -prof gc} shows the bytes allocated per packet.
 */
@Fork(value = 1, jvmArgsAppend = {"--illegal-native-access=deny", "-Dpanamax.strictOwnership=true"})
public class StrictPairForwardBenchmark extends PairForwardBenchmark {}
