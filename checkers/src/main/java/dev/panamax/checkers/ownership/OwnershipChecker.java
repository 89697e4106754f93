package dev.panamax.checkers.ownership;

import org.checkerframework.framework.source.SourceChecker;
import org.checkerframework.framework.source.SourceVisitor;
import org.checkerframework.framework.source.SuppressWarningsPrefix;

/**
 * Compile-time linearity of {@code dev.panamax.api.OwnedPacket}: use after consumption, double
 * consumption, leaks, consuming a borrowed packet, and packets escaping into fields, arrays or
 * captures. Run it as an annotation processor:
 * {@code -processor dev.panamax.checkers.ownership.OwnershipChecker}.
 *
 * <p>Suppress one finding with {@code @SuppressWarnings("ownership")} (every key) or
 * {@code @SuppressWarnings("ownership:ownership.escape")} (one key) on the declaration.
 */
@SuppressWarningsPrefix("ownership")
public final class OwnershipChecker extends SourceChecker {

  /** Creates the checker; javac instantiates it as an annotation processor. */
  public OwnershipChecker() {}

  @Override
  protected SourceVisitor<?, ?> createSourceVisitor() {
    getTreePathCacher(); // SourceChecker.setRoot expects it to exist; BaseTypeChecker creates it
    return new OwnershipVisitor(this);
  }
}
