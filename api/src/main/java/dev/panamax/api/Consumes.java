package dev.panamax.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a parameter (or a method's receiver, {@code void free(@Consumes OwnedPacket this)}) that
 * takes ownership of the packet passed to it.
 *
 * <p>After the call the caller's variable is dead: any further use is a use-after-consumption
 * error, both for the ownership checker and, at run time, for {@link PacketOwnershipException}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.TYPE_USE})
public @interface Consumes {}
