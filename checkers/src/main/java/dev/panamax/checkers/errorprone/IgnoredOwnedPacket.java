package dev.panamax.checkers.errorprone;

import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.TypeTag;

/** A dropped {@code OwnedPacket} result (an ignored {@code alloc()} or {@code take()}) leaks it. */
@BugPattern(
    name = "IgnoredOwnedPacket",
    summary = "The OwnedPacket returned by this call is owned by the caller and must not be dropped",
    severity = ERROR)
public final class IgnoredOwnedPacket extends BugChecker
    implements BugChecker.MethodInvocationTreeMatcher {

  private static final String PACKET = "dev.panamax.api.OwnedPacket";
  private static final String OWNED = "dev.panamax.api.Owned";
  private static final String BORROWED = "dev.panamax.api.Borrowed";

  /** Creates the check; Error Prone instantiates it through the service loader. */
  public IgnoredOwnedPacket() {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    Tree parent = state.getPath().getParentPath().getLeaf();
    if (!(parent instanceof ExpressionStatementTree)) {
      return Description.NO_MATCH;
    }
    MethodSymbol sym = ASTHelpers.getSymbol(tree);
    if (sym == null || ASTHelpers.hasAnnotation(sym, BORROWED, state)) {
      return Description.NO_MATCH;
    }
    boolean owned = ASTHelpers.hasAnnotation(sym, OWNED, state) || returnsPacket(sym, state);
    if (!owned) {
      return Description.NO_MATCH;
    }
    return buildDescription(tree)
        .setMessage(
            "the OwnedPacket returned by "
                + sym.getSimpleName()
                + "() is dropped and leaks its buffer; assign it and send, free() or add() it to a"
                + " batch")
        .build();
  }

  private static boolean returnsPacket(MethodSymbol sym, VisitorState state) {
    Type ret = sym.getReturnType();
    if (ret == null || ret.getTag() != TypeTag.CLASS) {
      return false;
    }
    Type packet = state.getTypeFromString(PACKET);
    return packet != null && ASTHelpers.isSubtype(ret, packet, state);
  }
}
