/**
 * What a running Panamax process tells the JDK's monitoring tools: JFR events (device
 * lifecycle, periodic statistics, ownership violations), one MXBean per open device, and
 * {@link System.Logger} records. Nothing here runs per packet: statistics are read by JFR's
 * periodic thread or the MBean server from the counters the drivers already keep, and the
 * ownership event is emitted only on the exception path.
 */
@NullMarked
package dev.panamax.impl.observe;

import org.jspecify.annotations.NullMarked;
