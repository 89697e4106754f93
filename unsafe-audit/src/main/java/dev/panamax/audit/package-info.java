/**
 * The unsafe audit: ArchUnit confinement rules (in {@code rules}) and the unsafe-share report
 * ({@link dev.panamax.audit.UnsafeReport}).
 */
@NullMarked
package dev.panamax.audit;

import org.jspecify.annotations.NullMarked;
