/** JMH benchmarks of the Panamax data path. */
@NullMarked
package dev.panamax.benchmarks;

import org.jspecify.annotations.NullMarked;
