/**
 * Deliberately broken code: each class here breaks (or, in {@code impl.unsafe}, legitimately
 * does) what one audit rule checks, laid out like the real project under this root. Never run.
 */
package dev.panamax.auditfixtures;
