package dev.panamax.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a value whose ownership passes to the receiver of the value.
 *
 * <p>On a method, the returned {@link OwnedPacket} belongs to the caller, who must consume it
 * exactly once: send it, free it, move it into a {@link PacketBatch}, return it, or pass it to a
 * {@link Consumes} parameter. On a local variable or field type it documents that the variable
 * holds ownership. The ownership checker enforces this at compile time; the runtime guard
 * throws {@link PacketOwnershipException} for callers the checker does not see.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE_USE})
public @interface Owned {}
