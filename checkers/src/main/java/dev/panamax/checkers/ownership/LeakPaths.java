package dev.panamax.checkers.ownership;

import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import org.checkerframework.dataflow.cfg.block.Block;
import org.checkerframework.dataflow.cfg.block.ConditionalBlock;
import org.checkerframework.dataflow.cfg.block.SpecialBlock;
import org.checkerframework.dataflow.cfg.node.CatchMarkerNode;
import org.checkerframework.dataflow.cfg.node.Node;
import org.checkerframework.dataflow.cfg.node.ReturnNode;
import org.checkerframework.dataflow.cfg.node.ThrowNode;
import org.checkerframework.javacutil.TreeUtils;
import org.jspecify.annotations.Nullable;

/**
 * Leaks: a variable still owned on an edge of the CFG that leaves its scope. Collects one
 * candidate per such edge, names the path in words (a branch, a loop exit, an early return, an
 * exception path, ...) and reports one leak per variable and place.
 */
final class LeakPaths {
  private static final boolean DEBUG = Boolean.getBoolean("panamax.ownership.debug");

  record LeakCandidate(
      VariableElement var, OwnershipValue value, Tree where, long srcPos, String path) {}

  private final Body body;
  private final Diagnostics diagnostics;
  private final List<LeakCandidate> leaks = new ArrayList<>();

  LeakPaths(Body body, Diagnostics diagnostics) {
    this.body = body;
    this.diagnostics = diagnostics;
  }

  /**
   * The edge {@code from → to} with {@code store}; {@code exception} is the cause on an exception
   * edge, {@code branch} "true"/"false" on the edges of a conditional block.
   */
  void checkEdge(
      Block from,
      Block to,
      OwnershipStore store,
      @Nullable TypeMirror exception,
      @Nullable String branch) {
    Node srcNode = lastPositioned(from, new HashSet<>());
    if (srcNode == null) {
      return;
    }
    long dstPos = firstPosition(to, new HashSet<>());
    checkTransition(srcNode, dstPos, isExit(to), to, store, exception, branch);
  }

  /** Leaks when control passes from {@code srcNode} to {@code dstPos} (or an exit block). */
  void checkTransition(
      Node srcNode,
      long dstPos,
      boolean toExit,
      @Nullable Block to,
      OwnershipStore store,
      @Nullable TypeMirror exception,
      @Nullable String branch) {
    long srcPos = body.start(srcNode.getTree());
    if (DEBUG) {
      System.err.println("edge -> " + (to == null ? "-" : to.getUid()) + " src=" + srcNode + "@" + body.line(srcPos)
          + " dst@" + body.line(dstPos) + " exit=" + toExit + " store=" + store);
    }
    if (!toExit && dstPos < 0) {
      return;
    }
    CatchMarkerNode handler = exception != null && to != null ? catchStart(to) : null;
    for (Map.Entry<VariableElement, OwnershipValue> e : store.vars.entrySet()) {
      OwnershipValue v = e.getValue();
      if (handler != null && v.has(OwnershipValue.UNCHK)) {
        // an unchecked exception that a catch block handles: an ordinary path from here on
        v = v.withFlags((v.flags & ~OwnershipValue.UNCHK) | OwnershipValue.OWN);
        if (v.mustConsume() && Body.inScope(body.scopes.get(e.getKey()), srcPos)
            && !Body.inScope(body.scopes.get(e.getKey()), dstPos)) {
          leaks.add(caught(e.getKey(), v, srcNode, srcPos, handler));
        }
        continue;
      }
      Body.Scope s = body.scopes.get(e.getKey());
      if (s == null || !v.mustConsume() || !Body.inScope(s, srcPos)) {
        continue;
      }
      if (!toExit && Body.inScope(s, dstPos)) {
        continue;
      }
      leaks.add(classify(e.getKey(), v, s, srcNode, srcPos, to, dstPos, exception, branch));
    }
  }

  private LeakCandidate classify(
      VariableElement var,
      OwnershipValue v,
      Body.Scope s,
      Node srcNode,
      long srcPos,
      @Nullable Block to,
      long dstPos,
      @Nullable TypeMirror exception,
      @Nullable String branch) {
    String otherPaths = otherPaths(v);
    if (exception != null) {
      if (srcNode instanceof ThrowNode t) {
        return new LeakCandidate(
            var, v, t.getTree(),
            srcPos, "the exception path: the throw at line " + body.line(t.getTree()) + otherPaths);
      }
      Tree call = srcNode.getTree();
      return new LeakCandidate(
          var, v, call, srcPos,
          "the exception path taken when the call at line " + body.line(call) + " throws "
              + simpleName(exception) + otherPaths);
    }
    ReturnTree ret = null;
    if (srcNode instanceof ReturnNode rn) {
      ret = rn.getTree();
    } else if (to != null && isRegularExit(to)) {
      ret = body.voidReturnAfter(srcPos);
    }
    String noMatch = v.noDefaultSwitch >= 0 ? noCaseMatches(v.noDefaultSwitch) : null;
    if (noMatch != null) {
      return ret != null
          ? new LeakCandidate(var, v, ret, srcPos,
              "the return at line " + body.line(ret) + ", reached when " + noMatch)
          : new LeakCandidate(var, v, s.decl(), srcPos, noMatch);
    }
    if (ret != null) {
      String kind = body.isLastStatement(ret) ? "the return" : "the early return";
      return new LeakCandidate(
          var, v, ret, srcPos, kind + " at line " + body.line(ret) + otherPaths);
    }
    if ("false".equals(branch) && body.isLoopCondition(srcNode.getTree())) {
      return new LeakCandidate(
          var, v, s.decl(), srcPos,
          "the loop exit: when the loop condition at line " + body.line(srcPos) + " is false" + otherPaths);
    }
    if (branch != null && !body.isLoopCondition(srcNode.getTree())) {
      return new LeakCandidate(
          var, v, s.decl(), srcPos,
          "a branch: when the condition at line " + body.line(srcPos) + " is " + branch
              + ", no statement consumes it before it goes out of scope" + otherPaths);
    }
    CatchTree inCatch = srcNode instanceof CatchMarkerNode m ? catchOf(m) : body.catchAround(srcPos);
    if (inCatch != null && !v.has(OwnershipValue.CONS) && (s.loop() == null || !body.contains(s.loop(), srcPos))) {
      return new LeakCandidate(
          var, v, s.decl(), srcPos,
          "the path through the catch block at line " + body.line(inCatch) + ", which handles the"
              + " exception and ends without consuming it");
    }
    if (to != null && isRegularExit(to)) {
      return new LeakCandidate(
          var, v, s.decl(), srcPos,
          branchOrLoop(v, s, "the end of the method at line " + body.line(body.end(body.body) - 1)));
    }
    Tree loop = s.loop();
    if (loop != null && !body.contains(loop, dstPos)) {
      return new LeakCandidate(
          var, v, s.decl(), srcPos,
          "the loop exit (break) after line " + body.line(srcPos) + otherPaths);
    }
    if (loop != null) {
      return new LeakCandidate(
          var, v, s.decl(), srcPos,
          "the end of a loop iteration after line " + body.line(srcPos) + otherPaths);
    }
    return new LeakCandidate(
        var, v, s.decl(), srcPos,
        branchOrLoop(v, s, "the end of its scope at line " + body.line(s.end() - 1)));
  }

  /**
   * A packet declared in a try block, still owned when an unchecked exception from a call in it
   * enters a catch block. Any call may throw one, so the report goes to the declaration, naming
   * the first such call.
   */
  private LeakCandidate caught(
      VariableElement var, OwnershipValue v, Node srcNode, long srcPos, CatchMarkerNode handler) {
    String otherPaths = otherPaths(v);
    CatchTree clause = catchOf(handler);
    return new LeakCandidate(var, v, body.scopes.get(var).decl(), srcPos,
        "the exception path into the catch block at line "
            + body.line(clause != null ? clause : handler.getTree())
            + ": the call at line " + body.line(srcNode.getTree()) + " may throw "
            + (clause != null ? clause.getParameter().getType().toString() : simpleName(handler.getCatchType()))
            + ", which the catch handles, and '"
            + var.getSimpleName() + "' is declared in the try block" + otherPaths
            + "; declare it before the try and free it in the catch block");
  }

  private String otherPaths(OwnershipValue v) {
    return v.has(OwnershipValue.CONS)
        ? " (it is consumed at line " + body.line(v.consumedLine) + " on other paths only)"
        : "";
  }

  /** The catch clause a catch marker starts (the marker's own tree is the try statement). */
  private static @Nullable CatchTree catchOf(CatchMarkerNode handler) {
    if (handler.getTree() instanceof TryTree t) {
      for (CatchTree c : t.getCatches()) {
        if (TreeUtils.typeOf(c.getParameter()).toString().equals(handler.getCatchType().toString())) {
          return c;
        }
      }
    }
    return null;
  }

  private String branchOrLoop(OwnershipValue v, Body.Scope s, String fallback) {
    if (!v.has(OwnershipValue.CONS)) {
      return fallback;
    }
    Tree consumeLoop = body.loopAround(v.consumedLine);
    if (consumeLoop != null && !body.contains(consumeLoop, body.start(s.decl()))) {
      return "the loop exit: it is consumed inside the loop at line "
          + body.line(v.consumedLine) + " but the loop can end without consuming it";
    }
    return "a branch that does not consume it (it is consumed at line "
        + body.line(v.consumedLine) + " on other paths only)";
  }

  /**
   * The no-match exit of a switch statement without default, in words: why no arm runs and how
   * to fix it.
   */
  private @Nullable String noCaseMatches(long switchPos) {
    SwitchTree sw = body.switchAt(switchPos);
    if (sw == null) {
      return null;
    }
    String head = "no case of the switch at line " + body.line(sw) + " matches: it has no default";
    String fix = "; add a default that consumes it";
    ExpressionTree selector = TreeUtils.withoutParens(sw.getExpression());
    TypeMirror type = TreeUtils.typeOf(selector);
    if (type instanceof DeclaredType dt && dt.asElement().getKind() == ElementKind.ENUM) {
      Set<String> handled = new HashSet<>();
      for (CaseTree c : sw.getCases()) {
        for (ExpressionTree label : c.getExpressions()) {
          Element e = TreeUtils.elementFromTree(label);
          if (e != null) {
            handled.add(e.getSimpleName().toString());
          }
        }
      }
      List<String> missing = new ArrayList<>();
      for (Element e : dt.asElement().getEnclosedElements()) {
        if (e.getKind() == ElementKind.ENUM_CONSTANT && !handled.contains(e.getSimpleName().toString())) {
          missing.add(e.getSimpleName().toString());
        }
      }
      String enumName = dt.asElement().getSimpleName().toString();
      if (missing.isEmpty()) {
        return head + ", and a switch statement over an enum is not exhaustive (a " + enumName
            + " constant added later matches none of its cases)" + fix;
      }
      return head + " and no case for " + String.join(", ", missing) + fix + " (or the missing cases)";
    }
    return head + ", and '" + selector + "' can match none of its cases" + fix;
  }

  /** One report per variable and place; for declaration-site reports the first path. */
  void report() {
    Map<String, LeakCandidate> chosen = new LinkedHashMap<>();
    for (LeakCandidate c : leaks) {
      String k = c.var().getSimpleName() + "@" + body.start(c.where()) + "@" + body.start(body.scopes.get(c.var()).decl());
      LeakCandidate prev = chosen.get(k);
      if (prev == null || c.srcPos() < prev.srcPos()) {
        chosen.put(k, c);
      }
    }
    for (LeakCandidate c : chosen.values()) {
      long ownedLine = c.value().ownedLine >= 0
          ? body.line(c.value().ownedLine)
          : body.line(body.scopes.get(c.var()).decl());
      diagnostics.report(
          c.where(), "ownership.leak", "packet '" + c.var().getSimpleName() + "'", ownedLine, c.path());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Where an edge starts and ends in the source.

  private static boolean isExit(Block b) {
    return b instanceof SpecialBlock sb
        && sb.getSpecialType() != SpecialBlock.SpecialBlockType.ENTRY;
  }

  private static boolean isRegularExit(Block b) {
    return b instanceof SpecialBlock sb && sb.getSpecialType() == SpecialBlock.SpecialBlockType.EXIT;
  }

  /** The last node with a source position in {@code b}, or in its single predecessor chain. */
  @Nullable Node lastPositioned(Block b, Set<Block> seen) {
    if (!seen.add(b)) {
      return null;
    }
    List<Node> nodes = b.getNodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      if (body.positioned(n.getTree())) {
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
    ArrayDeque<Block> todo = new ArrayDeque<>();
    todo.add(start);
    while (!todo.isEmpty()) {
      Block b = todo.poll();
      if (isExit(b) || !seen.add(b)) {
        continue;
      }
      for (Node n : b.getNodes()) {
        if (body.positioned(n.getTree())) {
          return body.start(n.getTree());
        }
      }
      if (b instanceof ConditionalBlock cb) {
        Node n = lastPositioned(cb, new HashSet<>());
        if (n != null) {
          return body.start(n.getTree());
        }
      }
      // Synthetic code (desugared enhanced for, ...): look further along the flow.
      todo.addAll(b.getSuccessors());
    }
    return -1;
  }

  /** The catch marker a block starts with, if it is the entry of a catch block. */
  private static @Nullable CatchMarkerNode catchStart(Block b) {
    List<Node> nodes = b.getNodes();
    return !nodes.isEmpty() && OwnershipTransfer.isCatchStart(nodes.get(0))
        ? (CatchMarkerNode) nodes.get(0)
        : null;
  }

  private static String simpleName(TypeMirror t) {
    String s = t.toString();
    int dot = s.lastIndexOf('.');
    return dot < 0 ? s : s.substring(dot + 1);
  }
}
