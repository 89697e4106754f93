/** ArchUnit rules of the unsafe audit: confinement of raw memory and native code, layering. */
@NullMarked
package dev.panamax.audit.rules;

import org.jspecify.annotations.NullMarked;
