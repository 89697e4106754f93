package dev.panamax.checkers.ownership;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;
import org.jspecify.annotations.Nullable;
import org.checkerframework.dataflow.analysis.ConditionalTransferResult;
import org.checkerframework.dataflow.analysis.ForwardAnalysisImpl;
import org.checkerframework.dataflow.analysis.ForwardTransferFunction;
import org.checkerframework.dataflow.analysis.RegularTransferResult;
import org.checkerframework.dataflow.analysis.TransferInput;
import org.checkerframework.dataflow.analysis.TransferResult;
import org.checkerframework.dataflow.cfg.ControlFlowGraph;
import org.checkerframework.dataflow.cfg.UnderlyingAST;
import org.checkerframework.dataflow.cfg.block.Block;
import org.checkerframework.dataflow.cfg.block.ConditionalBlock;
import org.checkerframework.dataflow.cfg.block.ExceptionBlock;
import org.checkerframework.dataflow.cfg.block.SingleSuccessorBlock;
import org.checkerframework.dataflow.cfg.block.SpecialBlock;
import org.checkerframework.dataflow.cfg.node.AbstractNodeVisitor;
import org.checkerframework.dataflow.cfg.node.ArrayAccessNode;
import org.checkerframework.dataflow.cfg.node.AssignmentNode;
import org.checkerframework.dataflow.cfg.node.EqualToNode;
import org.checkerframework.dataflow.cfg.node.FieldAccessNode;
import org.checkerframework.dataflow.cfg.node.LocalVariableNode;
import org.checkerframework.dataflow.cfg.node.MethodInvocationNode;
import org.checkerframework.dataflow.cfg.node.Node;
import org.checkerframework.dataflow.cfg.node.NotEqualNode;
import org.checkerframework.dataflow.cfg.node.NullLiteralNode;
import org.checkerframework.dataflow.cfg.node.ObjectCreationNode;
import org.checkerframework.dataflow.cfg.node.ReturnNode;
import org.checkerframework.dataflow.cfg.node.TernaryExpressionNode;
import org.checkerframework.dataflow.cfg.node.ThrowNode;
import org.checkerframework.dataflow.cfg.node.TypeCastNode;
import org.checkerframework.dataflow.cfg.node.VariableDeclarationNode;
import org.checkerframework.javacutil.TreeUtils;

/**
 * The ownership analysis of one method or lambda body: a forward dataflow analysis over the
 * Checker Framework CFG, then a reporting pass over the fixpoint.
 */
final class MethodAnalysis {

  /** Receives diagnostics; keys are in messages.properties. */
  interface Reporter {
    void report(Tree where, String key, Object... args);
  }

  /** Where a variable is declared and how far its scope reaches (source positions). */
  record Scope(Tree decl, long start, long end, @Nullable Tree loop) {}

  /** How a use of a packet variable treats it. */
  enum Use {
    LHS,
    READ,
    CONSUME,
    MOVE,
    ESCAPE,
    RETURN
  }

  record Context(Use use, String how, boolean viaTernary) {}

  private static final boolean DEBUG = Boolean.getBoolean("panamax.ownership.debug");
  private final PacketTypes packets;
  private final Types types;
  private final CompilationUnitTree root;
  private final SourcePositions positions;
  private final Reporter reporter;
  private final Tree body;
  private final Tree owner;
  private final boolean returnsOwnership;
  private final @Nullable ExecutableElement lambdaMethod;

  private final Map<VariableElement, Scope> scopes = new LinkedHashMap<>();
  private final IdentityHashMap<Tree, Tree> parents = new IdentityHashMap<>();
  private final List<ReturnTree> returns = new ArrayList<>();
  private final Set<String> reported = new HashSet<>();
  private boolean reporting;
  private @Nullable String branch;

  MethodAnalysis(
      PacketTypes packets,
      Types types,
      CompilationUnitTree root,
      SourcePositions positions,
      Reporter reporter,
      Tree owner,
      Tree body,
      boolean returnsOwnership,
      @Nullable ExecutableElement lambdaMethod) {
    this.packets = packets;
    this.types = types;
    this.root = root;
    this.positions = positions;
    this.reporter = reporter;
    this.owner = owner;
    this.body = body;
    this.returnsOwnership = returnsOwnership;
    this.lambdaMethod = lambdaMethod;
  }

  // ---------------------------------------------------------------------------------------------
  // Pre-scan: declarations, scopes, parents.

  private void prescan() {
    List<? extends VariableTree> params =
        owner instanceof MethodTree m
            ? m.getParameters()
            : ((LambdaExpressionTree) owner).getParameters();
    for (VariableTree p : params) {
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

  private @Nullable Tree enclosingLoop(Tree t) {
    for (Tree p = parents.get(t); p != null && p != owner; p = parents.get(p)) {
      if (isLoop(p)) {
        return p;
      }
    }
    return null;
  }

  private boolean isLoopCondition(Tree t) {
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

  private static boolean isLoop(Tree t) {
    return t instanceof WhileLoopTree
        || t instanceof DoWhileLoopTree
        || t instanceof ForLoopTree
        || t instanceof EnhancedForLoopTree;
  }

  private long start(Tree t) {
    return positions.getStartPosition(root, t);
  }

  private long end(Tree t) {
    return positions.getEndPosition(root, t);
  }

  long line(Tree t) {
    return line(start(t));
  }

  long line(long pos) {
    return pos < 0 ? -1 : root.getLineMap().getLineNumber(pos);
  }

  private boolean inScope(Scope s, long pos) {
    return pos >= s.start() && pos < s.end();
  }

  private static boolean contains(Tree outer, long pos, MethodAnalysis a) {
    return pos >= a.start(outer) && pos < a.end(outer);
  }

  // ---------------------------------------------------------------------------------------------
  // Driver.

  void run(ControlFlowGraph cfg) {
    if (!packets.enabled()) {
      return;
    }
    prescan();
    if (scopes.isEmpty()) {
      return;
    }
    Transfer transfer = new Transfer();
    ForwardAnalysisImpl<OwnershipValue, OwnershipStore, Transfer> analysis =
        new ForwardAnalysisImpl<>(transfer);
    analysis.performAnalysis(cfg);
    reporting = true;
    List<LeakCandidate> leaks = new ArrayList<>();
    Map<Block, TransferResult<OwnershipValue, OwnershipStore>> lastResults = new HashMap<>();
    for (Block b : cfg.getDepthFirstOrderedBlocks()) {
      TransferInput<OwnershipValue, OwnershipStore> in = analysis.getInput(b);
      if (in == null) {
        continue;
      }
      switch (b.getType()) {
        case REGULAR_BLOCK, EXCEPTION_BLOCK -> {
          OwnershipStore store = in.getRegularStore();
          TransferResult<OwnershipValue, OwnershipStore> result = null;
          Node prev = b.getPredecessors().size() == 1
              ? lastPositioned(b.getPredecessors().iterator().next(), new HashSet<>())
              : null;
          for (Node n : b.getNodes()) {
            if (positioned(n)) {
              if (prev != null && b.getNodes().indexOf(prev) >= 0) {
                checkTransition(prev, start(n.getTree()), false, null, store, null, leaks);
              }
              prev = n;
            }
            result = n.accept(transfer, new TransferInput<>(n, analysis, store));
            store = result.getRegularStore();
          }
          if (result != null) {
            lastResults.put(b, result);
          }
          Block succ = ((SingleSuccessorBlock) b).getSuccessor();
          if (succ != null && !(succ instanceof ConditionalBlock)) {
            checkEdge(b, succ, store, null, leaks);
          }
          if (b instanceof ExceptionBlock eb && result != null) {
            for (Map.Entry<TypeMirror, Set<Block>> e : eb.getExceptionalSuccessors().entrySet()) {
              OwnershipStore ex = result.getExceptionalStore(e.getKey());
              if (ex == null) {
                continue;
              }
              for (Block target : e.getValue()) {
                checkEdge(b, target, ex, e.getKey(), leaks);
              }
            }
          }
        }
        case CONDITIONAL_BLOCK -> {
          ConditionalBlock cb = (ConditionalBlock) b;
          OwnershipStore thenStore = in.getThenStore();
          OwnershipStore elseStore = in.getElseStore();
          branch = "true";
          checkEdge(b, cb.getThenSuccessor(), thenStore, null, leaks);
          branch = "false";
          checkEdge(b, cb.getElseSuccessor(), elseStore, null, leaks);
          branch = null;
        }
        case SPECIAL_BLOCK -> {
          SpecialBlock sb = (SpecialBlock) b;
          if (sb.getSuccessor() != null) {
            checkEdge(b, sb.getSuccessor(), in.getRegularStore(), null, leaks);
          }
        }
      }
    }
    reportLeaks(leaks);
  }

  // ---------------------------------------------------------------------------------------------
  // Leaks: a variable still owned on an edge that leaves its scope.

  record LeakCandidate(
      VariableElement var, OwnershipValue value, Tree where, long srcPos, String path) {}

  private void checkEdge(
      Block from,
      Block to,
      OwnershipStore store,
      @Nullable TypeMirror exception,
      List<LeakCandidate> out) {
    Node srcNode = lastPositioned(from, new HashSet<>());
    if (srcNode == null) {
      return;
    }
    long dstPos = firstPosition(to, new HashSet<>());
    checkTransition(srcNode, dstPos, isExit(to), to, store, exception, out);
  }

  private boolean positioned(Node n) {
    return n.getTree() != null && start(n.getTree()) >= 0 && contains(body, start(n.getTree()), this);
  }

  /** Leaks when control passes from {@code srcNode} to {@code dstPos} (or an exit block). */
  private void checkTransition(
      Node srcNode,
      long dstPos,
      boolean toExit,
      @Nullable Block to,
      OwnershipStore store,
      @Nullable TypeMirror exception,
      List<LeakCandidate> out) {
    long srcPos = start(srcNode.getTree());
    if (DEBUG) {
      System.err.println("edge -> " + (to == null ? "-" : to.getUid()) + " src=" + srcNode + "@" + line(srcPos)
          + " dst@" + line(dstPos) + " exit=" + toExit + " store=" + store);
    }
    if (!toExit && dstPos < 0) {
      return;
    }
    for (Map.Entry<VariableElement, OwnershipValue> e : store.vars.entrySet()) {
      OwnershipValue v = e.getValue();
      Scope s = scopes.get(e.getKey());
      if (s == null || !v.mustConsume() || !inScope(s, srcPos)) {
        continue;
      }
      if (!toExit && inScope(s, dstPos)) {
        continue;
      }
      out.add(classify(e.getKey(), v, s, srcNode, srcPos, to, dstPos, exception));
    }
  }

  private LeakCandidate classify(
      VariableElement var,
      OwnershipValue v,
      Scope s,
      Node srcNode,
      long srcPos,
      @Nullable Block to,
      long dstPos,
      @Nullable TypeMirror exception) {
    String otherPaths =
        v.has(OwnershipValue.CONS)
            ? " (it is consumed at line " + line(v.consumedLine) + " on other paths only)"
            : "";
    if (exception != null) {
      if (srcNode instanceof ThrowNode t) {
        return new LeakCandidate(
            var, v, t.getTree(),
            srcPos, "the exception path: the throw at line " + line(t.getTree()) + otherPaths);
      }
      Tree call = srcNode.getTree();
      return new LeakCandidate(
          var, v, call, srcPos,
          "the exception path taken when the call at line " + line(call) + " throws "
              + simpleName(exception) + otherPaths);
    }
    ReturnTree ret = null;
    if (srcNode instanceof ReturnNode rn) {
      ret = rn.getTree();
    } else if (to != null && isRegularExit(to)) {
      ret = voidReturnAfter(srcPos);
    }
    if (ret != null) {
      String kind = isLastStatement(ret) ? "the return" : "the early return";
      return new LeakCandidate(
          var, v, ret, srcPos, kind + " at line " + line(ret) + otherPaths);
    }
    if ("false".equals(branch) && isLoopCondition(srcNode.getTree())) {
      return new LeakCandidate(
          var, v, s.decl(), srcPos,
          "the loop exit: when the loop condition at line " + line(srcPos) + " is false" + otherPaths);
    }
    if (branch != null && !isLoopCondition(srcNode.getTree())) {
      return new LeakCandidate(
          var, v, s.decl(), srcPos,
          "a branch: when the condition at line " + line(srcPos) + " is " + branch
              + ", no statement consumes it before it goes out of scope" + otherPaths);
    }
    if (to != null && isRegularExit(to)) {
      return new LeakCandidate(
          var, v, s.decl(), srcPos,
          branchOrLoop(v, s, "the end of the method at line " + line(end(body) - 1)));
    }
    Tree loop = s.loop();
    if (loop != null && !contains(loop, dstPos, this)) {
      return new LeakCandidate(
          var, v, s.decl(), srcPos,
          "the loop exit (break) after line " + line(srcPos) + otherPaths);
    }
    if (loop != null) {
      return new LeakCandidate(
          var, v, s.decl(), srcPos,
          "the end of a loop iteration after line " + line(srcPos) + otherPaths);
    }
    return new LeakCandidate(
        var, v, s.decl(), srcPos,
        branchOrLoop(v, s, "the end of its scope at line " + line(s.end() - 1)));
  }

  private String branchOrLoop(OwnershipValue v, Scope s, String fallback) {
    if (!v.has(OwnershipValue.CONS)) {
      return fallback;
    }
    Tree consumeLoop = loopAround(v.consumedLine);
    if (consumeLoop != null && !contains(consumeLoop, start(s.decl()), this)) {
      return "the loop exit: it is consumed inside the loop at line "
          + line(v.consumedLine) + " but the loop can end without consuming it";
    }
    return "a branch that does not consume it (it is consumed at line "
        + line(v.consumedLine) + " on other paths only)";
  }

  /** The innermost loop in this body that contains a position. */
  private @Nullable Tree loopAround(long pos) {
    Tree best = null;
    for (Tree t : parents.keySet()) {
      if (isLoop(t) && contains(t, pos, this) && (best == null || start(t) > start(best))) {
        best = t;
      }
    }
    return best;
  }

  private void reportLeaks(List<LeakCandidate> leaks) {
    // One report per variable and place; for declaration-site reports keep the first path.
    Map<String, LeakCandidate> chosen = new LinkedHashMap<>();
    for (LeakCandidate c : leaks) {
      String k = c.var().getSimpleName() + "@" + start(c.where()) + "@" + start(scopes.get(c.var()).decl());
      LeakCandidate prev = chosen.get(k);
      if (prev == null || c.srcPos() < prev.srcPos()) {
        chosen.put(k, c);
      }
    }
    for (LeakCandidate c : chosen.values()) {
      long ownedLine = c.value().ownedLine >= 0 ? line(c.value().ownedLine) : line(scopes.get(c.var()).decl());
      report(c.where(), "ownership.leak", c.var().getSimpleName(), ownedLine, c.path());
    }
  }

  private boolean isLastStatement(ReturnTree ret) {
    Tree p = parents.get(ret);
    if (p != body || !(body instanceof BlockTree b)) {
      return false;
    }
    List<? extends StatementTree> stmts = b.getStatements();
    return !stmts.isEmpty() && stmts.get(stmts.size() - 1) == ret;
  }

  /** A {@code return;} statement (no node in the CFG) right after a position. */
  private @Nullable ReturnTree voidReturnAfter(long pos) {
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
          && !(containsPos(t, pos))) {
        return null;
      }
    }
    return best;
  }

  private boolean containsPos(Tree t, long pos) {
    return pos >= start(t) && pos < end(t);
  }

  private static boolean isExit(Block b) {
    return b instanceof SpecialBlock sb
        && sb.getSpecialType() != SpecialBlock.SpecialBlockType.ENTRY;
  }

  private static boolean isRegularExit(Block b) {
    return b instanceof SpecialBlock sb && sb.getSpecialType() == SpecialBlock.SpecialBlockType.EXIT;
  }

  private @Nullable Node lastPositioned(Block b, Set<Block> seen) {
    if (!seen.add(b)) {
      return null;
    }
    List<Node> nodes = b.getNodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      if (n.getTree() != null && start(n.getTree()) >= 0 && contains(body, start(n.getTree()), this)) {
        return n;
      }
    }
    if (b.getPredecessors().size() == 1 || b instanceof ConditionalBlock) {
      for (Block p : b.getPredecessors()) {
        Node n = lastPositioned(p, seen);
        if (n != null) {
          return n;
        }
      }
    }
    return null;
  }

  private long firstPosition(Block start, Set<Block> seen) {
    java.util.ArrayDeque<Block> todo = new java.util.ArrayDeque<>();
    todo.add(start);
    while (!todo.isEmpty()) {
      Block b = todo.poll();
      if (isExit(b) || !seen.add(b)) {
        continue;
      }
      for (Node n : b.getNodes()) {
        if (n.getTree() != null && start(n.getTree()) >= 0 && contains(body, start(n.getTree()), this)) {
          return start(n.getTree());
        }
      }
      if (b instanceof ConditionalBlock cb) {
        Node n = lastPositioned(cb, new HashSet<>());
        if (n != null) {
          return start(n.getTree());
        }
      }
      // Synthetic code (desugared enhanced for, ...): look further along the flow.
      todo.addAll(b.getSuccessors());
    }
    return -1;
  }

  private static String simpleName(TypeMirror t) {
    String s = t.toString();
    int dot = s.lastIndexOf('.');
    return dot < 0 ? s : s.substring(dot + 1);
  }

  // ---------------------------------------------------------------------------------------------
  // Reports.

  private void report(Tree where, String key, Object... args) {
    if (!reporting) {
      return;
    }
    if (reported.add(start(where) + "|" + key + "|" + (args.length > 0 ? args[0] : ""))) {
      reporter.report(where, key, args);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // How a variable occurrence is used, from its syntactic context.

  Context contextOf(Tree id) {
    Tree child = id;
    Tree p = parents.get(id);
    boolean viaTernary = false;
    while (p instanceof ParenthesizedTree
        || p instanceof TypeCastTree
        || (p instanceof ConditionalExpressionTree c && c.getCondition() != child)) {
      viaTernary |= p instanceof ConditionalExpressionTree;
      child = p;
      p = parents.get(p);
    }
    if (p == null) {
      return new Context(Use.READ, "", viaTernary);
    }
    if (p instanceof AssignmentTree a) {
      if (a.getVariable() == child) {
        return new Context(Use.LHS, "", viaTernary);
      }
      return storeContext(a.getVariable(), viaTernary);
    }
    if (p instanceof VariableTree v && v.getInitializer() == child) {
      VariableElement e = TreeUtils.elementFromDeclaration(v);
      if (e != null && e.getKind().isField()) {
        return PacketTypes.isOwningField(e)
            ? new Context(Use.CONSUME, "stored in the @Owned field '" + e.getSimpleName() + "'", viaTernary)
            : new Context(Use.ESCAPE, "the field '" + e.getSimpleName() + "'", viaTernary);
      }
      return new Context(Use.MOVE, "moved to '" + v.getName() + "'", viaTernary);
    }
    if (p instanceof ReturnTree || (p instanceof LambdaExpressionTree l && l.getBody() == child)) {
      return new Context(Use.RETURN, "returned", viaTernary);
    }
    if (p instanceof MethodInvocationTree mit) {
      int i = mit.getArguments().indexOf(child);
      if (i >= 0) {
        ExecutableElement m = TreeUtils.elementFromUse(mit);
        if (m != null && packets.consumesParameter(m, i)) {
          return new Context(Use.CONSUME, describeCall(m, i), viaTernary);
        }
      }
      return new Context(Use.READ, "", viaTernary);
    }
    if (p instanceof NewClassTree nct) {
      int i = nct.getArguments().indexOf(child);
      ExecutableElement c = TreeUtils.elementFromUse(nct);
      if (i >= 0 && c != null && packets.consumesParameter(c, i)) {
        return new Context(Use.CONSUME, describeCall(c, i), viaTernary);
      }
      return new Context(Use.READ, "", viaTernary);
    }
    if (p instanceof MemberSelectTree ms && ms.getExpression() == child) {
      Tree pp = parents.get(ms);
      if (pp instanceof MethodInvocationTree mit && mit.getMethodSelect() == ms) {
        ExecutableElement m = TreeUtils.elementFromUse(mit);
        if (m != null && packets.consumesReceiver(m)) {
          return new Context(Use.CONSUME, "freed by " + m.getSimpleName() + "()", viaTernary);
        }
      }
      return new Context(Use.READ, "", viaTernary);
    }
    if (p instanceof NewArrayTree) {
      return new Context(Use.ESCAPE, "an array", viaTernary);
    }
    return new Context(Use.READ, "", viaTernary);
  }

  private Context storeContext(ExpressionTree lhs, boolean viaTernary) {
    ExpressionTree target = TreeUtils.withoutParens(lhs);
    Element e = TreeUtils.elementFromUse(target);
    if (target instanceof IdentifierTree && e != null
        && (e.getKind() == ElementKind.LOCAL_VARIABLE || e.getKind() == ElementKind.PARAMETER
            || e.getKind() == ElementKind.EXCEPTION_PARAMETER || e.getKind() == ElementKind.RESOURCE_VARIABLE)) {
      return new Context(Use.MOVE, "moved to '" + e.getSimpleName() + "'", viaTernary);
    }
    if (e instanceof VariableElement ve && ve.getKind().isField()) {
      if (PacketTypes.isOwningField(ve)) {
        return new Context(Use.CONSUME, "stored in the @Owned field '" + ve.getSimpleName() + "'", viaTernary);
      }
      boolean isStatic = ve.getModifiers().contains(javax.lang.model.element.Modifier.STATIC);
      return new Context(
          Use.ESCAPE, (isStatic ? "the static field '" : "the field '") + ve.getSimpleName() + "'", viaTernary);
    }
    if (target.getKind() == Tree.Kind.ARRAY_ACCESS) {
      return new Context(Use.ESCAPE, "an array element", viaTernary);
    }
    return new Context(Use.ESCAPE, "'" + target + "'", viaTernary);
  }

  static String describeCall(ExecutableElement m, int i) {
    String owner =
        m.getEnclosingElement() instanceof TypeElement te ? te.getSimpleName() + "." : "";
    String name = m.getSimpleName().toString();
    if (owner.equals("PacketBatch.") && name.equals("add")) {
      return "moved into a batch by PacketBatch.add()";
    }
    if (owner.equals("Mempool.") && name.equals("free")) {
      return "freed by Mempool.free()";
    }
    if (m.getKind() == ElementKind.CONSTRUCTOR) {
      return "passed to a @Consumes parameter of new " + m.getEnclosingElement().getSimpleName() + "()";
    }
    List<? extends VariableElement> ps = m.getParameters();
    String pn = ps.isEmpty() ? "" : " '" + ps.get(Math.min(i, ps.size() - 1)).getSimpleName() + "'";
    return "passed to the @Consumes parameter" + pn + " of " + owner + name + "()";
  }

  // ---------------------------------------------------------------------------------------------
  // The transfer function.

  final class Transfer
      extends AbstractNodeVisitor<
          TransferResult<OwnershipValue, OwnershipStore>,
          TransferInput<OwnershipValue, OwnershipStore>>
      implements ForwardTransferFunction<OwnershipValue, OwnershipStore> {

    @Override
    public OwnershipStore initialStore(UnderlyingAST ast, List<LocalVariableNode> params) {
      OwnershipStore s = new OwnershipStore();
      List<? extends VariableTree> decls =
          owner instanceof MethodTree m
              ? m.getParameters()
              : ((LambdaExpressionTree) owner).getParameters();
      for (int i = 0; i < decls.size(); i++) {
        VariableElement e = TreeUtils.elementFromDeclaration(decls.get(i));
        if (e == null || !scopes.containsKey(e)) {
          continue;
        }
        boolean owning = PacketTypes.variableHas(e, PacketTypes.CONSUMES)
            || PacketTypes.variableHas(e, PacketTypes.OWNED);
        if (!owning && lambdaMethod != null) {
          owning = packets.consumesParameter(lambdaMethod, i);
        }
        s.put(e, owning ? OwnershipValue.owned(start(decls.get(i))) : OwnershipValue.borrowed());
      }
      return s;
    }

    @Override
    public TransferResult<OwnershipValue, OwnershipStore> visitNode(
        Node n, TransferInput<OwnershipValue, OwnershipStore> in) {
      OwnershipStore before = in.getRegularStore();
      OwnershipStore store = before.copy();
      if (n instanceof LocalVariableNode lv) {
        localVariable(lv, store);
      } else if (n instanceof VariableDeclarationNode vd) {
        VariableElement e = TreeUtils.elementFromDeclaration(vd.getTree());
        if (e != null && scopes.containsKey(e)) {
          store.put(e, OwnershipValue.none());
        }
      } else if (n instanceof AssignmentNode a) {
        assignment(a, store);
      } else if (n instanceof MethodInvocationNode mi) {
        invocation(mi, store);
      } else if (n instanceof ObjectCreationNode oc) {
        creation(oc, store);
        if (oc.getTree().getClassBody() != null) {
          captured(oc.getTree().getClassBody(), store, "captured by an anonymous class");
        }
      } else if (n.getTree() instanceof LambdaExpressionTree lambda) {
        captured(lambda, store, "captured by a lambda");
      } else if (n instanceof ReturnNode r && r.getResult() != null) {
        VariableElement v = tracked(r.getResult());
        if (v != null && (returnsOwnership)) {
          consume(store, v, r.getTree(), "returned");
        }
      } else if (n instanceof EqualToNode || n instanceof NotEqualNode) {
        return nullCheck(n, before, store);
      }
      return finish(n, before, new RegularTransferResult<>(null, store));
    }

    private TransferResult<OwnershipValue, OwnershipStore> finish(
        Node n, OwnershipStore before, TransferResult<OwnershipValue, OwnershipStore> result) {
      if (!(n.getBlock() instanceof ExceptionBlock eb)) {
        return result;
      }
      Map<TypeMirror, OwnershipStore> ex = new HashMap<>();
      for (TypeMirror cause : eb.getExceptionalSuccessors().keySet()) {
        // An explicit throw statement is a real exit path; a desugared one (assert) is not.
        boolean explicitThrow = n instanceof ThrowNode t && start(t.getTree()) >= 0
            && !types.erasure(cause).toString().equals("java.lang.AssertionError");
        boolean unchecked = !explicitThrow && isUnchecked(cause);
        ex.put(cause, unchecked ? before.forUncheckedException() : before.copy());
      }
      return result.withExceptionalStores(ex);
    }

    private boolean isUnchecked(TypeMirror cause) {
      String name = types.erasure(cause).toString();
      if (name.equals("java.lang.Throwable")) {
        return true; // the CFG's stand-in for "anything"
      }
      for (TypeMirror t = cause; t != null; ) {
        String tn = types.erasure(t).toString();
        if (tn.equals("java.lang.RuntimeException") || tn.equals("java.lang.Error")) {
          return true;
        }
        List<? extends TypeMirror> sup = types.directSupertypes(t);
        t = sup.isEmpty() ? null : sup.get(0);
        if (t != null && types.erasure(t).toString().equals("java.lang.Object")) {
          break;
        }
      }
      return false;
    }

    private TransferResult<OwnershipValue, OwnershipStore> nullCheck(
        Node n, OwnershipStore before, OwnershipStore store) {
      Node l = strip(((org.checkerframework.dataflow.cfg.node.BinaryOperationNode) n).getLeftOperand());
      Node r = strip(((org.checkerframework.dataflow.cfg.node.BinaryOperationNode) n).getRightOperand());
      VariableElement v = null;
      if (l instanceof NullLiteralNode) {
        v = tracked(r);
      } else if (r instanceof NullLiteralNode) {
        v = tracked(l);
      }
      OwnershipValue cur = v == null ? null : store.get(v);
      if (v == null || cur == null) {
        return finish(n, before, new RegularTransferResult<>(null, store));
      }
      OwnershipStore isNull = store.copy();
      OwnershipStore nonNull = store.copy();
      isNull.put(v, OwnershipValue.none());
      int f = cur.flags & ~OwnershipValue.NONE;
      nonNull.put(v, f == 0 ? cur : cur.withFlags(f));
      return finish(
          n,
          before,
          n instanceof EqualToNode
              ? new ConditionalTransferResult<>(null, isNull, nonNull)
              : new ConditionalTransferResult<>(null, nonNull, isNull));
    }

    private void localVariable(LocalVariableNode lv, OwnershipStore store) {
      VariableElement v = lv.getElement();
      Tree tree = lv.getTree();
      if (!scopes.containsKey(v) || !(tree instanceof IdentifierTree)) {
        return;
      }
      OwnershipValue cur = store.get(v);
      if (cur == null) {
        return;
      }
      Context ctx = contextOf(tree);
      String name = v.getSimpleName().toString();
      String was = cur.definitelyConsumed() ? "was" : "may have been";
      switch (ctx.use()) {
        case LHS -> {}
        case READ -> {
          if (cur.has(OwnershipValue.CONS)) {
            report(tree, "ownership.use.after.consume", name, was, line(cur.consumedLine), cur.consumedHow);
          }
        }
        case MOVE -> {
          if (cur.has(OwnershipValue.CONS)) {
            report(tree, "ownership.use.after.consume", name, was, line(cur.consumedLine), cur.consumedHow);
          }
          if (ctx.viaTernary() && cur.mayOwn()) {
            store.put(v, OwnershipValue.consumed(start(tree), ctx.how()));
          }
        }
        case RETURN -> {
          if (returnsOwnership) {
            checkConsumable(tree, name, cur, was, "returned");
            if (ctx.viaTernary()) {
              consume(store, v, tree, "returned");
            }
          } else if (cur.has(OwnershipValue.CONS)) {
            report(tree, "ownership.use.after.consume", name, was, line(cur.consumedLine), cur.consumedHow);
          }
        }
        case CONSUME -> {
          checkConsumable(tree, name, cur, was, ctx.how());
          if (ctx.viaTernary()) {
            consume(store, v, tree, ctx.how());
          }
        }
        case ESCAPE -> {
          if (cur.has(OwnershipValue.CONS)) {
            report(tree, "ownership.use.after.consume", name, was, line(cur.consumedLine), cur.consumedHow);
          } else {
            report(tree, "ownership.escape", name, ctx.how(),
                cur.has(OwnershipValue.BOR) ? "a borrowed packet" : "an owned packet");
          }
          store.put(v, OwnershipValue.consumed(start(tree), "stored in " + ctx.how()));
        }
      }
    }

    /** A captured packet escapes (reported by the visitor); it is gone from this scope. */
    private void captured(Tree inner, OwnershipStore store, String how) {
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitIdentifier(IdentifierTree id, Void p) {
          Element e = TreeUtils.elementFromUse(id);
          if (e instanceof VariableElement v && scopes.containsKey(v)) {
            OwnershipValue cur = store.get(v);
            if (cur != null && cur.mayOwn()) {
              store.put(v, OwnershipValue.consumed(start(id), how));
            }
          }
          return null;
        }
      }.scan(inner, null);
    }

    private void checkConsumable(Tree tree, String name, OwnershipValue cur, String was, String how) {
      if (cur.has(OwnershipValue.CONS)) {
        report(tree, "ownership.double.consume", name, was, line(cur.consumedLine), cur.consumedHow, how);
      } else if (cur.has(OwnershipValue.BOR)) {
        report(tree, "ownership.borrowed.consumed", name, how);
      }
    }

    private void consume(OwnershipStore store, VariableElement v, Tree where, String how) {
      OwnershipValue cur = store.get(v);
      if (cur == null) {
        return;
      }
      if (cur.flags == OwnershipValue.BOR) {
        return; // reported as borrowed.consumed; the lender keeps it
      }
      store.put(v, OwnershipValue.consumed(start(where), how));
    }

    private void assignment(AssignmentNode a, OwnershipStore store) {
      Node target = a.getTarget();
      Node expr = strip(a.getExpression());
      VariableElement src = tracked(expr);
      if (target instanceof LocalVariableNode t && scopes.containsKey(t.getElement())) {
        VariableElement v = t.getElement();
        OwnershipValue cur = store.get(v);
        boolean declaration = a.getTree() instanceof VariableTree;
        if (!declaration && cur != null && cur.mustConsume() && src != v) {
          report(a.getTree(), "ownership.leak", v.getSimpleName(),
              line(cur.ownedLine >= 0 ? cur.ownedLine : start(scopes.get(v).decl())),
              "the assignment at line " + line(a.getTree()) + ", which overwrites it while it is still owned"
                  + (cur.has(OwnershipValue.CONS)
                      ? " on some paths (it is consumed at line " + line(cur.consumedLine) + " on others)"
                      : ""));
        }
        store.put(v, valueOf(expr, store, a.getTree()));
        if (src != null && src != v) {
          OwnershipValue s = store.get(src);
          if (s != null && s.mayOwn()) {
            store.put(src, OwnershipValue.consumed(start(a.getTree()), "moved to '" + v.getSimpleName() + "'"));
          }
        }
        return;
      }
      if ((target instanceof FieldAccessNode f && PacketTypes.isOwningField(f.getElement())) && src != null) {
        consume(store, src, a.getTree(), "stored in the @Owned field '" + f.getFieldName() + "'");
      }
    }

    /** The ownership a variable gets when assigned this expression (moves handled by caller). */
    private OwnershipValue valueOf(Node expr, OwnershipStore store, Tree at) {
      VariableElement src = tracked(expr);
      if (src != null) {
        OwnershipValue s = store.get(src);
        if (s == null) {
          return OwnershipValue.none();
        }
        int f = 0;
        if (s.mayOwn()) f |= OwnershipValue.OWN;
        if (s.has(OwnershipValue.BOR)) f |= OwnershipValue.BOR;
        if (s.has(OwnershipValue.NONE) || s.has(OwnershipValue.CONS)) f |= OwnershipValue.NONE;
        return new OwnershipValue(f == 0 ? OwnershipValue.NONE : f, s.mayOwn() ? start(at) : -1, -1, "");
      }
      if (expr instanceof MethodInvocationNode mi) {
        return switch (packets.resultOf(mi.getTarget().getMethod())) {
          case OWNED -> OwnershipValue.owned(start(at));
          case BORROWED -> OwnershipValue.borrowed();
          case NONE -> OwnershipValue.none();
        };
      }
      if (expr instanceof ObjectCreationNode) {
        return OwnershipValue.owned(start(at));
      }
      if (expr instanceof FieldAccessNode f) {
        return PacketTypes.isOwningField(f.getElement())
            ? OwnershipValue.owned(start(at))
            : OwnershipValue.borrowed();
      }
      if (expr instanceof ArrayAccessNode) {
        return OwnershipValue.borrowed();
      }
      if (expr instanceof TernaryExpressionNode t) {
        OwnershipValue a = ternaryOperand(t.getThenOperand(), store, at);
        OwnershipValue b = ternaryOperand(t.getElseOperand(), store, at);
        return a.leastUpperBound(b);
      }
      return OwnershipValue.none();
    }

    private OwnershipValue ternaryOperand(Node n, OwnershipStore store, Tree at) {
      Node s = strip(n);
      if (tracked(s) != null) {
        // consumed at its own node already (ternary context): it moves its ownership here
        return OwnershipValue.owned(start(at));
      }
      return valueOf(s, store, at);
    }

    private void invocation(MethodInvocationNode mi, OwnershipStore store) {
      ExecutableElement m = mi.getTarget().getMethod();
      List<Node> args = mi.getArguments();
      for (int i = 0; i < args.size(); i++) {
        VariableElement v = tracked(strip(args.get(i)));
        if (v != null && packets.consumesParameter(m, i)) {
          consume(store, v, mi.getTree(), describeCall(m, i));
        }
      }
      VariableElement recv = tracked(strip(mi.getTarget().getReceiver()));
      if (recv != null && packets.consumesReceiver(m)) {
        consume(store, recv, mi.getTree(), "freed by " + m.getSimpleName() + "()");
      }
    }

    private void creation(ObjectCreationNode oc, OwnershipStore store) {
      ExecutableElement c = TreeUtils.elementFromUse(oc.getTree());
      if (c == null) {
        return;
      }
      List<Node> args = oc.getArguments();
      for (int i = 0; i < args.size(); i++) {
        VariableElement v = tracked(strip(args.get(i)));
        if (v != null && packets.consumesParameter(c, i)) {
          consume(store, v, oc.getTree(), describeCall(c, i));
        }
      }
    }

    private Node strip(Node n) {
      while (n instanceof TypeCastNode tc) {
        n = tc.getOperand();
      }
      return n;
    }

    private @Nullable VariableElement tracked(@Nullable Node n) {
      if (n instanceof LocalVariableNode lv && scopes.containsKey(lv.getElement())
          && lv.getTree() instanceof IdentifierTree) {
        return lv.getElement();
      }
      return null;
    }
  }
}
