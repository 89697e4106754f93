package dev.panamax.checkers.ownership;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import org.jspecify.annotations.Nullable;
import org.checkerframework.dataflow.cfg.ControlFlowGraph;
import org.checkerframework.dataflow.cfg.UnderlyingAST;
import org.checkerframework.dataflow.cfg.builder.CFGBuilder;
import org.checkerframework.framework.source.SourceVisitor;
import org.checkerframework.javacutil.TreeUtils;

/**
 * Walks a compilation unit: runs {@link MethodAnalysis} on every method and lambda body, and checks
 * the rules that need no dataflow (dropped or lent temporaries, captures).
 */
final class OwnershipVisitor extends SourceVisitor<Void, Void> {
  private final OwnershipChecker checker;
  private final PacketTypes packets;
  private final SourcePositions positions;
  private final Map<Element, Long> declStarts = new HashMap<>();
  private final Set<String> captureReports = new HashSet<>();
  private final MethodReferences references;
  private final CallSites calls;

  OwnershipVisitor(OwnershipChecker checker) {
    super(checker);
    this.checker = checker;
    this.packets = new PacketTypes(types, elements);
    this.positions = trees.getSourcePositions();
    this.references = new MethodReferences(packets, this::report);
    this.calls = new CallSites(packets);
  }

  private void report(Tree where, String key, Object... args) {
    checker.reportError(where, key, args);
  }

  // ---------------------------------------------------------------------------------------------
  // Bodies.

  @Override
  public Void visitMethod(MethodTree tree, Void p) {
    if (packets.enabled() && tree.getBody() != null) {
      ClassTree cls = enclosingClass(getCurrentPath());
      if (cls != null) {
        ExecutableElement m = TreeUtils.elementFromDeclaration(tree);
        boolean returnsOwnership = m != null && packets.returnsOwnership(m);
        analyze(new UnderlyingAST.CFGMethod(tree, cls), tree, tree.getBody(), returnsOwnership, null);
      }
    }
    return super.visitMethod(tree, p);
  }

  @Override
  public Void visitLambdaExpression(LambdaExpressionTree tree, Void p) {
    if (packets.enabled()) {
      ClassTree cls = enclosingClass(getCurrentPath());
      MethodTree method = enclosingMethod(getCurrentPath());
      TypeMirror fi = trees.getTypeMirror(getCurrentPath());
      ExecutableElement sam = packets.functionalMethod(fi);
      boolean returnsOwnership = sam != null && packets.returnsOwnership(sam);
      if (cls != null) {
        analyze(new UnderlyingAST.CFGLambda(tree, cls, method), tree, tree.getBody(), returnsOwnership, sam);
      }
    }
    return super.visitLambdaExpression(tree, p);
  }

  private void analyze(
      UnderlyingAST ast, Tree owner, Tree body, boolean returnsOwnership, @Nullable ExecutableElement sam) {
    ControlFlowGraph cfg;
    try {
      cfg = CFGBuilder.build(root, ast, checker.getProcessingEnvironment());
    } catch (RuntimeException | AssertionError e) {
      // A CFG the framework cannot build is not a user error; skip the body rather than crash.
      return;
    }
    new MethodAnalysis(
            packets, types, root, positions, this::report, owner, body, returnsOwnership, sam)
        .run(cfg);
  }

  private static @Nullable ClassTree enclosingClass(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree c) {
        return c;
      }
    }
    return null;
  }

  private static @Nullable MethodTree enclosingMethod(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree m) {
        return m;
      }
      if (p.getLeaf() instanceof ClassTree) {
        return null;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Captures.

  @Override
  public Void visitVariable(VariableTree tree, Void p) {
    VariableElement e = TreeUtils.elementFromDeclaration(tree);
    if (e != null) {
      declStarts.put(e, positions.getStartPosition(root, tree));
    }
    return super.visitVariable(tree, p);
  }

  @Override
  public Void visitIdentifier(IdentifierTree tree, Void p) {
    Element e = TreeUtils.elementFromUse(tree);
    if (e instanceof VariableElement v
        && (v.getKind() == ElementKind.LOCAL_VARIABLE
            || v.getKind() == ElementKind.PARAMETER
            || v.getKind() == ElementKind.RESOURCE_VARIABLE
            || v.getKind() == ElementKind.BINDING_VARIABLE)
        && packets.isPacket(v.asType())) {
      Long decl = declStarts.get(v);
      for (TreePath path = getCurrentPath(); path != null && decl != null; path = path.getParentPath()) {
        Tree leaf = path.getLeaf();
        if (leaf instanceof MethodTree) {
          long s = positions.getStartPosition(root, leaf);
          long end = positions.getEndPosition(root, leaf);
          if (decl >= s && decl < end) {
            break; // declared in this method
          }
          continue;
        }
        if (leaf instanceof LambdaExpressionTree || leaf instanceof ClassTree) {
          long s = positions.getStartPosition(root, leaf);
          long end = positions.getEndPosition(root, leaf);
          if (decl < s || decl >= end) {
            String what =
                leaf instanceof LambdaExpressionTree ? "a lambda capture" : "a capture by an anonymous or local class";
            if (captureReports.add(v.getSimpleName() + "@" + s)) {
              report(tree, "ownership.escape", v.getSimpleName(), what, "captured packets outlive the borrow");
            }
          }
          break;
        }
      }
    }
    return super.visitIdentifier(tree, p);
  }

  // ---------------------------------------------------------------------------------------------
  // Method references: checked like the lambda each stands for (see MethodReferences).

  @Override
  public Void visitMemberReference(MemberReferenceTree tree, Void p) {
    if (packets.enabled()) {
      references.check(tree, trees.getTypeMirror(getCurrentPath()),
          root.getLineMap().getLineNumber(positions.getStartPosition(root, tree)));
    }
    return super.visitMemberReference(tree, p);
  }

  // ---------------------------------------------------------------------------------------------
  // Temporaries: a call that returns ownership must hand it to someone; a lent result must not be
  // handed over as owned.

  @Override
  public Void visitMethodInvocation(MethodInvocationTree tree, Void p) {
    ExecutableElement m = TreeUtils.elementFromUse(tree);
    if (m != null && packets.enabled()) {
      switch (packets.resultOf(m)) {
        case OWNED -> checkTemporary(tree, m);
        case BORROWED -> checkLentTemporary(tree, m);
        case NONE -> {}
      }
    }
    return super.visitMethodInvocation(tree, p);
  }

  /** Where a value goes: the tree that receives it ({@code parent}) and the operand it is there. */
  private record Destination(Tree child, TreePath parentPath) {
    Tree parent() {
      return parentPath.getLeaf();
    }
  }

  /** Follows a value up through parentheses, casts, conditional operands and switch arms. */
  private static @Nullable Destination destination(TreePath path) {
    Tree child = path.getLeaf();
    TreePath parentPath = path.getParentPath();
    while (parentPath != null) {
      Tree parent = parentPath.getLeaf();
      if (parent instanceof ParenthesizedTree
          || parent instanceof TypeCastTree
          || (parent instanceof ConditionalExpressionTree c && c.getCondition() != child)) {
        child = parent;
        parentPath = parentPath.getParentPath();
        continue;
      }
      if (parent instanceof YieldTree) {
        // switch expression arm: continue from the switch expression
        TreePath up = parentPath;
        while (up != null && !(up.getLeaf() instanceof SwitchExpressionTree)) {
          up = up.getParentPath();
        }
        if (up == null) {
          return null;
        }
        child = up.getLeaf();
        parentPath = up.getParentPath();
        continue;
      }
      break;
    }
    return parentPath == null ? null : new Destination(child, parentPath);
  }

  /** The functional method a lambda implements. */
  private @Nullable ExecutableElement lambdaMethod(TreePath lambda) {
    return packets.functionalMethod(trees.getTypeMirror(lambda));
  }

  /**
   * The method (or lambda's functional method) that a {@code return} or an expression lambda
   * body returns from; null if there is none.
   */
  private @Nullable ExecutableElement returningMethod(Destination d) {
    if (d.parent() instanceof LambdaExpressionTree) {
      return lambdaMethod(d.parentPath());
    }
    for (TreePath p = d.parentPath(); p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof LambdaExpressionTree) {
        return lambdaMethod(p);
      }
      if (p.getLeaf() instanceof MethodTree mt) {
        return TreeUtils.elementFromDeclaration(mt);
      }
      if (p.getLeaf() instanceof ClassTree) {
        return null;
      }
    }
    return null;
  }

  /**
   * A lent packet ({@code batch.get(i)}, {@code list.get(i)}) returned from a method that hands
   * over ownership, or stored where it outlives the loan.
   */
  private void checkLentTemporary(MethodInvocationTree call, ExecutableElement m) {
    Destination d = destination(getCurrentPath());
    if (d == null) {
      return;
    }
    String what = "lent by " + m.getSimpleName() + "()";
    String store = storedInto(d);
    if (store != null) {
      report(call, "ownership.escape", what, store, "a borrowed packet");
      return;
    }
    if (!(d.parent() instanceof ReturnTree || d.parent() instanceof LambdaExpressionTree)) {
      return;
    }
    ExecutableElement returning = returningMethod(d);
    if (returning != null && packets.returnsOwnership(returning)) {
      report(call, "ownership.borrowed.consumed", "the packet lent by " + MethodReferences.describe(m),
          "returned", MethodReferences.hintForBorrowedResult(returning));
    }
  }

  /**
   * Where a value is stored if its destination keeps it beyond the statement: an array element or
   * initializer, a field that is not {@code @Owned}, or a {@code java.util} collection; null if
   * it is not stored there.
   */
  private @Nullable String storedInto(Destination d) {
    Tree parent = d.parent();
    if (parent instanceof NewArrayTree) {
      return "an array";
    }
    if (parent instanceof VariableTree v && v.getInitializer() == d.child()) {
      VariableElement e = TreeUtils.elementFromDeclaration(v);
      return e != null && e.getKind().isField() && !PacketTypes.isOwningField(e)
          ? "the field '" + e.getSimpleName() + "'"
          : null;
    }
    if (parent instanceof AssignmentTree a && a.getExpression() == d.child()) {
      ExpressionTree lhs = TreeUtils.withoutParens(a.getVariable());
      Element e = TreeUtils.elementFromUse(lhs);
      if (lhs.getKind() == Tree.Kind.ARRAY_ACCESS) {
        return "an array element";
      }
      return e instanceof VariableElement ve && ve.getKind().isField() && !PacketTypes.isOwningField(ve)
          ? "the field '" + ve.getSimpleName() + "'"
          : null;
    }
    if (parent instanceof MethodInvocationTree outer) {
      int i = outer.getArguments().indexOf(d.child());
      ExecutableElement om = TreeUtils.elementFromUse(outer);
      return i < 0 || om == null ? null : calls.storage(om, i, TreeUtils.getReceiverTree(outer));
    }
    return null;
  }

  private void checkTemporary(MethodInvocationTree call, ExecutableElement m) {
    Destination d = destination(getCurrentPath());
    if (d == null) {
      return;
    }
    Tree child = d.child();
    Tree parent = d.parent();
    String name = m.getSimpleName().toString();
    String store = storedInto(d);
    if (store != null) {
      report(call, "ownership.escape", "returned by " + name + "()", store, "an owned packet");
      return;
    }
    if (parent instanceof VariableTree || parent instanceof AssignmentTree) {
      return;
    }
    if (parent instanceof LambdaExpressionTree) {
      ExecutableElement sam = lambdaMethod(d.parentPath());
      if (sam != null && sam.getReturnType().getKind() == TypeKind.VOID) {
        report(call, "ownership.leak.unassigned", name, "is dropped: the lambda implements "
            + MethodReferences.describe(sam) + ", which returns void");
      }
      return;
    }
    if (parent instanceof ReturnTree) {
      return;
    }
    if (parent instanceof MemberReferenceTree) {
      report(call, "ownership.escape", "returned by " + name + "()", "the method reference " + parent,
          "an owned packet, captured as its receiver");
      return;
    }
    if (parent instanceof MethodInvocationTree outer) {
      int i = outer.getArguments().indexOf(child);
      ExecutableElement om = TreeUtils.elementFromUse(outer);
      if (i >= 0 && om != null && !packets.consumesParameter(om, i)) {
        report(call, "ownership.leak.unassigned", name,
            "is passed to the borrowing parameter of " + om.getSimpleName() + "() and never consumed");
      }
      return;
    }
    if (parent instanceof NewClassTree outer) {
      int i = outer.getArguments().indexOf(child);
      ExecutableElement c = TreeUtils.elementFromUse(outer);
      if (i >= 0 && c != null && !packets.consumesParameter(c, i)) {
        report(call, "ownership.leak.unassigned", name,
            "is passed to a borrowing constructor parameter and never consumed");
      }
      return;
    }
    if (parent instanceof MemberSelectTree ms) {
      TreePath up = d.parentPath().getParentPath();
      if (up != null && up.getLeaf() instanceof MethodInvocationTree outer && outer.getMethodSelect() == ms) {
        ExecutableElement om = TreeUtils.elementFromUse(outer);
        if (om != null && !packets.consumesReceiver(om)) {
          report(call, "ownership.leak.unassigned", name,
              "is only used to call " + om.getSimpleName() + "() and never consumed");
        }
      }
      return;
    }
    if (parent instanceof ExpressionStatementTree) {
      report(call, "ownership.leak.unassigned", name, "is dropped");
    }
  }
}
