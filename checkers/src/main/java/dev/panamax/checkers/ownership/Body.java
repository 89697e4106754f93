package dev.panamax.checkers.ownership;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseLabelTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.DefaultCaseLabelTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import org.checkerframework.javacutil.TreeUtils;
import org.jspecify.annotations.Nullable;

/**
 * One method or lambda body under analysis: its tracked packet variables with their scopes, the
 * parent of every tree in it, and source positions and lines. Built once by a pre-scan.
 */
final class Body {

  /** Where a variable is declared and how far its scope reaches (source positions). */
  record Scope(Tree decl, long start, long end, @Nullable Tree loop) {}

  final PacketTypes packets;
  final CompilationUnitTree root;
  final Tree owner;
  final Tree body;
  /** Whether the method (or the lambda's functional method) hands its result to the caller. */
  final boolean returnsOwnership;
  /** The functional interface method a lambda implements, or null for a method. */
  final @Nullable ExecutableElement lambdaMethod;

  private final SourcePositions positions;
  final Map<VariableElement, Scope> scopes = new LinkedHashMap<>();
  final IdentityHashMap<Tree, Tree> parents = new IdentityHashMap<>();
  private final List<ReturnTree> returns = new ArrayList<>();

  Body(
      PacketTypes packets,
      CompilationUnitTree root,
      SourcePositions positions,
      Tree owner,
      Tree body,
      boolean returnsOwnership,
      @Nullable ExecutableElement lambdaMethod) {
    this.packets = packets;
    this.root = root;
    this.positions = positions;
    this.owner = owner;
    this.body = body;
    this.returnsOwnership = returnsOwnership;
    this.lambdaMethod = lambdaMethod;
  }

  List<? extends VariableTree> parameters() {
    return owner instanceof MethodTree m
        ? m.getParameters()
        : ((LambdaExpressionTree) owner).getParameters();
  }

  /** Records packet parameters and locals with their scopes, and every tree's parent. */
  void prescan() {
    for (VariableTree p : parameters()) {
      VariableElement e = TreeUtils.elementFromDeclaration(p);
      if (e != null && packets.isPacket(e.asType())) {
        scopes.put(e, new Scope(p, start(owner), end(owner), null));
      }
    }
    new TreeScanner<Void, Tree>() {
      @Override
      public Void scan(Tree tree, Tree parent) {
        if (tree == null) {
          return null;
        }
        parents.put(tree, parent);
        if (tree instanceof ClassTree || (tree instanceof LambdaExpressionTree && tree != owner)) {
          return null; // analysed on their own
        }
        return super.scan(tree, tree);
      }

      @Override
      public Void visitReturn(ReturnTree node, Tree parent) {
        returns.add(node);
        return super.visitReturn(node, parent);
      }

      @Override
      public Void visitVariable(VariableTree node, Tree self) {
        Tree parent = parents.get(node);
        VariableElement e = TreeUtils.elementFromDeclaration(node);
        if (e != null
            && (e.getKind() == ElementKind.LOCAL_VARIABLE
                || e.getKind() == ElementKind.EXCEPTION_PARAMETER
                || e.getKind() == ElementKind.BINDING_VARIABLE
                || e.getKind() == ElementKind.RESOURCE_VARIABLE)
            && packets.isPacket(e.asType())) {
          Tree scopeTree = parent;
          if (parent instanceof CaseTree) {
            scopeTree = parents.getOrDefault(parent, parent);
          } else if (!(parent instanceof BlockTree
              || parent instanceof ForLoopTree
              || parent instanceof EnhancedForLoopTree
              || parent instanceof CatchTree)) {
            scopeTree = body;
          }
          scopes.put(e, new Scope(node, start(node), end(scopeTree), enclosingLoop(node)));
        }
        return super.visitVariable(node, self);
      }
    }.scan(body, owner);
  }

  // ---------------------------------------------------------------------------------------------
  // Positions.

  long start(Tree t) {
    return positions.getStartPosition(root, t);
  }

  long end(Tree t) {
    return positions.getEndPosition(root, t);
  }

  long line(Tree t) {
    return line(start(t));
  }

  long line(long pos) {
    return pos < 0 ? -1 : root.getLineMap().getLineNumber(pos);
  }

  static boolean inScope(Scope s, long pos) {
    return pos >= s.start() && pos < s.end();
  }

  boolean contains(Tree outer, long pos) {
    return pos >= start(outer) && pos < end(outer);
  }

  /** A tree with a real source position inside this body (not a desugared one). */
  boolean positioned(@Nullable Tree t) {
    return t != null && start(t) >= 0 && contains(body, start(t));
  }

  /** The innermost catch clause of this body whose block contains a position, or null. */
  @Nullable CatchTree catchAround(long pos) {
    CatchTree best = null;
    for (Tree t : parents.keySet()) {
      if (t instanceof CatchTree c && contains(c.getBlock(), pos) && (best == null || start(c) > start(best))) {
        best = c;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------------------------------------
  // Switches.

  /**
   * Whether {@code c} is the last case of a switch statement that has no {@code default} and is
   * not exhaustive by the language: a classic switch (no patterns, no {@code case null}) over an
   * integral type, String or an enum. javac inserts no default into such a switch, so a value that
   * matches no case (for an enum, a constant added later) runs no arm.
   */
  boolean isLastCaseWithoutDefault(CaseTree c) {
    if (!(parents.get(c) instanceof SwitchTree s)
        || TreeUtils.isEnhancedSwitchStatement(s)
        || s.getCases().get(s.getCases().size() - 1) != c) {
      return false;
    }
    for (CaseTree k : s.getCases()) {
      for (CaseLabelTree label : k.getLabels()) {
        if (label instanceof DefaultCaseLabelTree) {
          return false;
        }
      }
    }
    return true;
  }

  /** The switch statement that starts at {@code pos}. */
  @Nullable SwitchTree switchAt(long pos) {
    for (Tree t : parents.keySet()) {
      if (t instanceof SwitchTree s && start(s) == pos) {
        return s;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Loops and returns.

  private @Nullable Tree enclosingLoop(Tree t) {
    for (Tree p = parents.get(t); p != null && p != owner; p = parents.get(p)) {
      if (isLoop(p)) {
        return p;
      }
    }
    return null;
  }

  boolean isLoopCondition(Tree t) {
    for (Tree c = t, p = parents.get(t); p != null && p != owner; c = p, p = parents.get(p)) {
      if (p instanceof WhileLoopTree w) {
        return w.getCondition() == c;
      }
      if (p instanceof DoWhileLoopTree d) {
        return d.getCondition() == c;
      }
      if (p instanceof ForLoopTree f) {
        return f.getCondition() == c;
      }
      if (p instanceof StatementTree) {
        return false;
      }
    }
    return false;
  }

  static boolean isLoop(Tree t) {
    return t instanceof WhileLoopTree
        || t instanceof DoWhileLoopTree
        || t instanceof ForLoopTree
        || t instanceof EnhancedForLoopTree;
  }

  /** The innermost loop in this body that contains a position. */
  @Nullable Tree loopAround(long pos) {
    Tree best = null;
    for (Tree t : parents.keySet()) {
      if (isLoop(t) && contains(t, pos) && (best == null || start(t) > start(best))) {
        best = t;
      }
    }
    return best;
  }

  boolean isLastStatement(ReturnTree ret) {
    Tree p = parents.get(ret);
    if (p != body || !(body instanceof BlockTree b)) {
      return false;
    }
    List<? extends StatementTree> stmts = b.getStatements();
    return !stmts.isEmpty() && stmts.get(stmts.size() - 1) == ret;
  }

  /** A {@code return;} statement (no node in the CFG) right after a position. */
  @Nullable ReturnTree voidReturnAfter(long pos) {
    ReturnTree best = null;
    for (ReturnTree r : returns) {
      if (r.getExpression() == null && start(r) >= pos && (best == null || start(r) < start(best))) {
        best = r;
      }
    }
    if (best == null) {
      return null;
    }
    // Only if nothing but closing braces and the return itself lie between.
    for (Tree t : parents.keySet()) {
      long st = start(t);
      if (t instanceof StatementTree && !(t instanceof BlockTree) && st > pos && st < start(best)
          && !contains(t, pos)) {
        return null;
      }
    }
    return best;
  }
}
