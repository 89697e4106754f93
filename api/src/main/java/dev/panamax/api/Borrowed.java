package dev.panamax.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a packet parameter or value that is lent, not given: the callee may read and write the
 * packet's bytes but must neither consume it nor keep a reference after it returns.
 *
 * <p>Borrowing is the default for an unannotated {@link OwnedPacket} parameter; the annotation
 * makes it explicit in signatures such as {@link PacketBatch#get(int)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE_USE})
public @interface Borrowed {}
