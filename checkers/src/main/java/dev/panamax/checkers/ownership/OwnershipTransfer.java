package dev.panamax.checkers.ownership;

import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;
import org.checkerframework.dataflow.analysis.ConditionalTransferResult;
import org.checkerframework.dataflow.analysis.ForwardTransferFunction;
import org.checkerframework.dataflow.analysis.RegularTransferResult;
import org.checkerframework.dataflow.analysis.TransferInput;
import org.checkerframework.dataflow.analysis.TransferResult;
import org.checkerframework.dataflow.cfg.UnderlyingAST;
import org.checkerframework.dataflow.cfg.block.ExceptionBlock;
import org.checkerframework.dataflow.cfg.node.AbstractNodeVisitor;
import org.checkerframework.dataflow.cfg.node.ArrayAccessNode;
import org.checkerframework.dataflow.cfg.node.AssignmentNode;
import org.checkerframework.dataflow.cfg.node.BinaryOperationNode;
import org.checkerframework.dataflow.cfg.node.CaseNode;
import org.checkerframework.dataflow.cfg.node.CatchMarkerNode;
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
import org.jspecify.annotations.Nullable;

/**
 * The transfer functions: how each kind of CFG node changes what the packet variables hold. Uses
 * of a variable are classified by {@link Uses}; calls follow {@link CallSites}. Misuse found on the
 * way (use after consumption, double consumption, consuming a borrow, escapes, overwrites) goes to
 * {@link Diagnostics}, which only lets it out in the final pass over the fixpoint.
 */
final class OwnershipTransfer
    extends AbstractNodeVisitor<
        TransferResult<OwnershipValue, OwnershipStore>,
        TransferInput<OwnershipValue, OwnershipStore>>
    implements ForwardTransferFunction<OwnershipValue, OwnershipStore> {

  private final Body body;
  private final Types types;
  private final Uses uses;
  private final CallSites calls;
  private final Diagnostics diagnostics;

  OwnershipTransfer(Body body, Types types, Uses uses, CallSites calls, Diagnostics diagnostics) {
    this.body = body;
    this.types = types;
    this.uses = uses;
    this.calls = calls;
    this.diagnostics = diagnostics;
  }

  /** Parameters: {@code @Consumes}/{@code @Owned} (or a consuming functional parameter) own. */
  @Override
  public OwnershipStore initialStore(UnderlyingAST ast, List<LocalVariableNode> params) {
    OwnershipStore s = new OwnershipStore();
    List<? extends VariableTree> decls = body.parameters();
    for (int i = 0; i < decls.size(); i++) {
      VariableElement e = TreeUtils.elementFromDeclaration(decls.get(i));
      if (e == null || !body.scopes.containsKey(e)) {
        continue;
      }
      boolean owning = PacketTypes.variableHas(e, PacketTypes.CONSUMES)
          || PacketTypes.variableHas(e, PacketTypes.OWNED);
      if (!owning && body.lambdaMethod != null) {
        owning = body.packets.consumesParameter(body.lambdaMethod, i);
      }
      s.put(e, owning ? OwnershipValue.owned(body.start(decls.get(i))) : OwnershipValue.borrowed());
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
      if (e != null && body.scopes.containsKey(e)) {
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
      if (v != null && body.returnsOwnership) {
        consume(store, v, r.getTree(), "returned");
      }
    } else if (n instanceof EqualToNode || n instanceof NotEqualNode) {
      return nullCheck((BinaryOperationNode) n, before, store);
    } else if (n instanceof CaseNode c && body.isLastCaseWithoutDefault(c.getTree())) {
      return finish(n, before, noCaseMatched(c, store));
    } else if (isCatchStart(n)) {
      return new RegularTransferResult<>(null, store.forCaughtException());
    }
    return finish(n, before, new RegularTransferResult<>(null, store));
  }

  // ---------------------------------------------------------------------------------------------
  // Switch statements without default: the last case's "else" edge leaves the switch with no arm
  // run. The packets still owned there are marked, so that a leak can name the missing default.

  private TransferResult<OwnershipValue, OwnershipStore> noCaseMatched(CaseNode c, OwnershipStore store) {
    long switchPos = body.start(body.parents.get(c.getTree()));
    OwnershipStore none = store.copy();
    for (Map.Entry<VariableElement, OwnershipValue> e : none.vars.entrySet()) {
      if (e.getValue().has(OwnershipValue.OWN)) {
        e.setValue(e.getValue().leavingSwitchWithoutDefault(switchPos));
      }
    }
    return new ConditionalTransferResult<>(null, store, none);
  }

  // ---------------------------------------------------------------------------------------------
  // Exception edges.

  private TransferResult<OwnershipValue, OwnershipStore> finish(
      Node n, OwnershipStore before, TransferResult<OwnershipValue, OwnershipStore> result) {
    if (!(n.getBlock() instanceof ExceptionBlock eb)) {
      return result;
    }
    Map<TypeMirror, OwnershipStore> ex = new HashMap<>();
    for (TypeMirror cause : eb.getExceptionalSuccessors().keySet()) {
      // An explicit throw statement is a real exit path; a desugared one (assert) is not.
      boolean explicitThrow = n instanceof ThrowNode t && body.start(t.getTree()) >= 0
          && !types.erasure(cause).toString().equals("java.lang.AssertionError");
      boolean unchecked = !explicitThrow && isUnchecked(cause);
      ex.put(cause, unchecked ? before.forUncheckedException() : before.copy());
    }
    return result.withExceptionalStores(ex);
  }

  /** The first node of a catch block: the exception it handles has ended there. */
  static boolean isCatchStart(@Nullable Node n) {
    return n instanceof CatchMarkerNode m && m.getMessage().startsWith("start of catch block");
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

  // ---------------------------------------------------------------------------------------------
  // Null checks: {@code p == null} and {@code p != null} split the store.

  private TransferResult<OwnershipValue, OwnershipStore> nullCheck(
      BinaryOperationNode n, OwnershipStore before, OwnershipStore store) {
    Node l = strip(n.getLeftOperand());
    Node r = strip(n.getRightOperand());
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

  // ---------------------------------------------------------------------------------------------
  // A use of a packet variable.

  private void localVariable(LocalVariableNode lv, OwnershipStore store) {
    VariableElement v = lv.getElement();
    Tree tree = lv.getTree();
    if (!body.scopes.containsKey(v) || !(tree instanceof IdentifierTree)) {
      return;
    }
    OwnershipValue cur = store.get(v);
    if (cur == null) {
      return;
    }
    Uses.Context ctx = uses.contextOf(tree);
    String name = v.getSimpleName().toString();
    String was = cur.definitelyConsumed() ? "was" : "may have been";
    switch (ctx.use()) {
      case LHS -> {}
      case READ -> {
        if (cur.has(OwnershipValue.CONS)) {
          useAfterConsume(tree, name, was, cur);
        }
      }
      case MOVE -> {
        if (cur.has(OwnershipValue.CONS)) {
          useAfterConsume(tree, name, was, cur);
        }
        if (ctx.viaTernary() && cur.mayOwn()) {
          store.put(v, OwnershipValue.consumed(body.start(tree), ctx.how()));
        }
      }
      case RETURN -> {
        if (body.returnsOwnership) {
          checkConsumable(tree, name, cur, was, "returned");
          if (ctx.viaTernary()) {
            consume(store, v, tree, "returned");
          }
        } else if (cur.has(OwnershipValue.CONS)) {
          useAfterConsume(tree, name, was, cur);
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
          useAfterConsume(tree, name, was, cur);
        } else {
          diagnostics.report(tree, "ownership.escape", name, ctx.how(),
              cur.has(OwnershipValue.BOR) ? "a borrowed packet" : "an owned packet");
        }
        if (cur.mayOwn() || cur.has(OwnershipValue.CONS)) {
          // reported once as an escape; a lent packet stays lent and usable
          store.put(v, OwnershipValue.consumed(body.start(tree), "stored in " + ctx.how()));
        }
      }
    }
  }

  private void useAfterConsume(Tree tree, String name, String was, OwnershipValue cur) {
    diagnostics.report(tree, "ownership.use.after.consume", name, was, body.line(cur.consumedLine), cur.consumedHow);
  }

  /** A captured packet escapes (reported by the visitor); it is gone from this scope. */
  private void captured(Tree inner, OwnershipStore store, String how) {
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree id, Void p) {
        Element e = TreeUtils.elementFromUse(id);
        if (e instanceof VariableElement v && body.scopes.containsKey(v)) {
          OwnershipValue cur = store.get(v);
          if (cur != null && cur.mayOwn()) {
            store.put(v, OwnershipValue.consumed(body.start(id), how));
          }
        }
        return null;
      }
    }.scan(inner, null);
  }

  private void checkConsumable(Tree tree, String name, OwnershipValue cur, String was, String how) {
    if (cur.has(OwnershipValue.CONS)) {
      diagnostics.report(tree, "ownership.double.consume", name, was, body.line(cur.consumedLine), cur.consumedHow, how);
    } else if (cur.has(OwnershipValue.BOR)) {
      diagnostics.report(tree, "ownership.borrowed.consumed", "packet '" + name + "'", how,
          "declare the parameter @Consumes to take ownership");
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
    store.put(v, OwnershipValue.consumed(body.start(where), how));
  }

  // ---------------------------------------------------------------------------------------------
  // Assignments: moves between locals, overwrites, stores into @Owned fields.

  private void assignment(AssignmentNode a, OwnershipStore store) {
    Node target = a.getTarget();
    Node expr = strip(a.getExpression());
    VariableElement src = tracked(expr);
    if (target instanceof LocalVariableNode t && body.scopes.containsKey(t.getElement())) {
      VariableElement v = t.getElement();
      OwnershipValue cur = store.get(v);
      boolean declaration = a.getTree() instanceof VariableTree;
      if (!declaration && cur != null && cur.mustConsume() && src != v) {
        diagnostics.report(a.getTree(), "ownership.leak", "packet '" + v.getSimpleName() + "'",
            body.line(cur.ownedLine >= 0 ? cur.ownedLine : body.start(body.scopes.get(v).decl())),
            "the assignment at line " + body.line(a.getTree()) + ", which overwrites it while it is still owned"
                + (cur.has(OwnershipValue.CONS)
                    ? " on some paths (it is consumed at line " + body.line(cur.consumedLine) + " on others)"
                    : ""));
      }
      store.put(v, valueOf(expr, store, a.getTree()));
      if (src != null && src != v) {
        OwnershipValue s = store.get(src);
        if (s != null && s.mayOwn()) {
          store.put(src, OwnershipValue.consumed(body.start(a.getTree()), "moved to '" + v.getSimpleName() + "'"));
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
      return new OwnershipValue(f == 0 ? OwnershipValue.NONE : f, s.mayOwn() ? body.start(at) : -1, -1, "");
    }
    if (expr instanceof MethodInvocationNode mi) {
      return switch (body.packets.resultOf(mi.getTarget().getMethod())) {
        case OWNED -> OwnershipValue.owned(body.start(at));
        case BORROWED -> OwnershipValue.borrowed();
        case NONE -> OwnershipValue.none();
      };
    }
    if (expr instanceof ObjectCreationNode) {
      return OwnershipValue.owned(body.start(at));
    }
    if (expr instanceof FieldAccessNode f) {
      return PacketTypes.isOwningField(f.getElement())
          ? OwnershipValue.owned(body.start(at))
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
      return OwnershipValue.owned(body.start(at));
    }
    return valueOf(s, store, at);
  }

  // ---------------------------------------------------------------------------------------------
  // Calls: arguments to consuming parameters and consuming receivers (see CallSites).

  private void invocation(MethodInvocationNode mi, OwnershipStore store) {
    ExecutableElement m = mi.getTarget().getMethod();
    consumeArguments(m, mi.getArguments(), mi.getTree(), store);
    VariableElement recv = tracked(strip(mi.getTarget().getReceiver()));
    String how = recv == null ? null : calls.receiverConsumption(m);
    if (how != null) {
      consume(store, recv, mi.getTree(), how);
    }
  }

  private void creation(ObjectCreationNode oc, OwnershipStore store) {
    ExecutableElement c = TreeUtils.elementFromUse(oc.getTree());
    if (c != null) {
      consumeArguments(c, oc.getArguments(), oc.getTree(), store);
    }
  }

  private void consumeArguments(ExecutableElement m, List<Node> args, Tree call, OwnershipStore store) {
    for (int i = 0; i < args.size(); i++) {
      VariableElement v = tracked(strip(args.get(i)));
      String how = v == null ? null : calls.consumption(m, i);
      if (how != null) {
        consume(store, v, call, how);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  static Node strip(Node n) {
    while (n instanceof TypeCastNode tc) {
      n = tc.getOperand();
    }
    return n;
  }

  /** The tracked packet variable a node reads, or null. */
  @Nullable VariableElement tracked(@Nullable Node n) {
    if (n instanceof LocalVariableNode lv && body.scopes.containsKey(lv.getElement())
        && lv.getTree() instanceof IdentifierTree) {
      return lv.getElement();
    }
    return null;
  }
}
