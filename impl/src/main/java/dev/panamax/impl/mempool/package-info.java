/** Mempools of fixed-size packet buffers and the packet handles over them. */
@NullMarked
package dev.panamax.impl.mempool;

import org.jspecify.annotations.NullMarked;
