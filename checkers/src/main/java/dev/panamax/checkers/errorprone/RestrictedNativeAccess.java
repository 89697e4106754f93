package dev.panamax.checkers.errorprone;

import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;

/**
 * Restricted FFM methods, JNI ({@code native} methods, {@code System.load*}), and
 * {@code sun.misc.Unsafe} are allowed only in {@code dev.panamax.impl.unsafe}.
 */
@BugPattern(
    name = "RestrictedNativeAccess",
    summary =
        "Restricted FFM methods, native methods, System/Runtime.load* and sun.misc.Unsafe are"
            + " only allowed in package dev.panamax.impl.unsafe",
    severity = ERROR)
public final class RestrictedNativeAccess extends BugChecker
    implements BugChecker.MethodInvocationTreeMatcher,
        BugChecker.MemberReferenceTreeMatcher,
        BugChecker.MethodTreeMatcher,
        BugChecker.IdentifierTreeMatcher,
        BugChecker.MemberSelectTreeMatcher {

  /** The one package allowed to touch raw memory and native code. */
  public static final String UNSAFE_PACKAGE = "dev.panamax.impl.unsafe";

  private static final Set<String> UNSAFE_CLASSES = Set.of("sun.misc.Unsafe", "jdk.internal.misc.Unsafe");

  /** Restricted in JDK 25 (also detected through javac's RESTRICTED flag); kept for older class files. */
  private static final Set<String> RESTRICTED =
      Set.of(
          "java.lang.foreign.MemorySegment#reinterpret",
          "java.lang.foreign.SymbolLookup#libraryLookup",
          "java.lang.foreign.AddressLayout#withTargetLayout",
          "java.lang.ModuleLayer.Controller#enableNativeAccess",
          "java.lang.System#load",
          "java.lang.System#loadLibrary",
          "java.lang.Runtime#load",
          "java.lang.Runtime#loadLibrary");

  /** Creates the check; Error Prone instantiates it through the service loader. */
  public RestrictedNativeAccess() {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    return checkMethod(tree, ASTHelpers.getSymbol(tree), state);
  }

  @Override
  public Description matchMemberReference(MemberReferenceTree tree, VisitorState state) {
    return checkMethod(tree, ASTHelpers.getSymbol(tree), state);
  }

  private Description checkMethod(Tree tree, MethodSymbol sym, VisitorState state) {
    if (sym == null || allowed(state)) {
      return Description.NO_MATCH;
    }
    String owner = sym.owner.getQualifiedName().toString();
    String what = null;
    if ((sym.flags() & Flags.RESTRICTED) != 0
        || RESTRICTED.contains(owner + "#" + sym.getSimpleName())) {
      what = "the restricted method " + shortName(owner) + "." + sym.getSimpleName() + "()";
    } else if (owner.equals("java.lang.foreign.Linker")) {
      what = "the native linker (" + shortName(owner) + "." + sym.getSimpleName() + "())";
    } else if (UNSAFE_CLASSES.contains(owner) && !receiverIsTypeName(tree)) {
      what = "sun.misc.Unsafe (" + sym.getSimpleName() + "())";
    }
    if (what == null) {
      return Description.NO_MATCH;
    }
    return buildDescription(tree)
        .setMessage(
            "Calling "
                + what
                + " is only allowed in package "
                + UNSAFE_PACKAGE
                + "; move this code there behind a safe, typed API")
        .build();
  }

  /** A static call like {@code Unsafe.getUnsafe()} is already reported at the type name. */
  private static boolean receiverIsTypeName(Tree tree) {
    ExpressionTree select =
        tree instanceof MethodInvocationTree mit ? mit.getMethodSelect() : null;
    if (select instanceof MemberSelectTree ms) {
      Symbol s = ASTHelpers.getSymbol(ms.getExpression());
      return s instanceof ClassSymbol;
    }
    return false;
  }

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    if (!tree.getModifiers().getFlags().contains(Modifier.NATIVE) || allowed(state)) {
      return Description.NO_MATCH;
    }
    return buildDescription(tree)
        .setMessage(
            "native method '"
                + tree.getName()
                + "': JNI code is only allowed in package "
                + UNSAFE_PACKAGE
                + "; use an FFM downcall there instead")
        .build();
  }

  @Override
  public Description matchIdentifier(IdentifierTree tree, VisitorState state) {
    return checkTypeReference(tree, state);
  }

  @Override
  public Description matchMemberSelect(MemberSelectTree tree, VisitorState state) {
    return checkTypeReference(tree, state);
  }

  private Description checkTypeReference(Tree tree, VisitorState state) {
    Symbol sym = ASTHelpers.getSymbol(tree);
    if (!(sym instanceof ClassSymbol cs)
        || cs.getKind() == ElementKind.PACKAGE
        || !UNSAFE_CLASSES.contains(cs.getQualifiedName().toString())
        || allowed(state)) {
      return Description.NO_MATCH;
    }
    // Report a qualified name once, at its outermost select.
    Tree parent = state.getPath().getParentPath().getLeaf();
    if (parent instanceof MemberSelectTree ms && ASTHelpers.getSymbol(ms) == sym) {
      return Description.NO_MATCH;
    }
    return buildDescription(tree)
        .setMessage(
            "use of "
                + cs.getQualifiedName()
                + " is only allowed in package "
                + UNSAFE_PACKAGE
                + "; use FFM MemorySegment / VarHandle access there instead")
        .build();
  }

  private static boolean allowed(VisitorState state) {
    if (!(state.getPath().getCompilationUnit()
        instanceof com.sun.tools.javac.tree.JCTree.JCCompilationUnit unit)
        || unit.packge == null) {
      return false;
    }
    String name = unit.packge.getQualifiedName().toString();
    return name.equals(UNSAFE_PACKAGE) || name.startsWith(UNSAFE_PACKAGE + ".");
  }

  private static String shortName(String qualified) {
    return qualified.startsWith("java.lang.foreign.")
        ? qualified.substring("java.lang.foreign.".length())
        : qualified.startsWith("java.lang.") ? qualified.substring("java.lang.".length()) : qualified;
  }
}
