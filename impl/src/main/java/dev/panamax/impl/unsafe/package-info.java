/**
 * The only code in Panamax that touches raw memory, native functions or device addresses.
 *
 * <p>Every primitive here is a few lines, bounds-checked, with a comment saying why it is sound.
 * Nothing here depends on another Panamax package. The unsafe audit counts every line.
 */
@NullMarked
package dev.panamax.impl.unsafe;

import org.jspecify.annotations.NullMarked;
