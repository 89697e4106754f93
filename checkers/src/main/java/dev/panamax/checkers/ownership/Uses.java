package dev.panamax.checkers.ownership;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;
import org.checkerframework.javacutil.TreeUtils;

/**
 * How one occurrence of a packet variable uses the packet, from its syntactic context: a read, a
 * consumption (and by what), a move to another local, an escape (and into what) or a return.
 */
final class Uses {

  /** How a use of a packet variable treats it. */
  enum Use {
    LHS,
    READ,
    CONSUME,
    MOVE,
    ESCAPE,
    RETURN
  }

  /**
   * One use: its kind, how it is described in messages, and whether the value reaches its use
   * through a conditional expression (then the use itself moves ownership).
   */
  record Context(Use use, String how, boolean viaTernary) {}

  private final Body body;
  private final CallSites calls;

  Uses(Body body, CallSites calls) {
    this.body = body;
    this.calls = calls;
  }

  Context contextOf(Tree id) {
    Tree child = id;
    Tree p = body.parents.get(id);
    boolean viaTernary = false;
    while (p instanceof ParenthesizedTree
        || p instanceof TypeCastTree
        || (p instanceof ConditionalExpressionTree c && c.getCondition() != child)) {
      viaTernary |= p instanceof ConditionalExpressionTree;
      child = p;
      p = body.parents.get(p);
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
        String how = m == null ? null : calls.consumption(m, i);
        if (how != null) {
          return new Context(Use.CONSUME, how, viaTernary);
        }
        String into = m == null ? null : calls.storage(m, i, TreeUtils.getReceiverTree(mit));
        if (into != null) {
          return new Context(Use.ESCAPE, into, viaTernary);
        }
      }
      return new Context(Use.READ, "", viaTernary);
    }
    if (p instanceof NewClassTree nct) {
      int i = nct.getArguments().indexOf(child);
      ExecutableElement c = TreeUtils.elementFromUse(nct);
      String how = i < 0 || c == null ? null : calls.consumption(c, i);
      if (how != null) {
        return new Context(Use.CONSUME, how, viaTernary);
      }
      return new Context(Use.READ, "", viaTernary);
    }
    if (p instanceof MemberSelectTree ms && ms.getExpression() == child) {
      Tree pp = body.parents.get(ms);
      if (pp instanceof MethodInvocationTree mit && mit.getMethodSelect() == ms) {
        ExecutableElement m = TreeUtils.elementFromUse(mit);
        String how = m == null ? null : calls.receiverConsumption(m);
        if (how != null) {
          return new Context(Use.CONSUME, how, viaTernary);
        }
      }
      return new Context(Use.READ, "", viaTernary);
    }
    if (p instanceof NewArrayTree) {
      return new Context(Use.ESCAPE, "an array", viaTernary);
    }
    if (p instanceof MemberReferenceTree ref && ref.getQualifierExpression() == child) {
      // p::free is () -> p.free(): the reference keeps the packet, as a lambda capture does
      return new Context(Use.ESCAPE, "the method reference " + ref + ", which captures it", viaTernary);
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
      boolean isStatic = ve.getModifiers().contains(Modifier.STATIC);
      return new Context(
          Use.ESCAPE, (isStatic ? "the static field '" : "the field '") + ve.getSimpleName() + "'", viaTernary);
    }
    if (target.getKind() == Tree.Kind.ARRAY_ACCESS) {
      return new Context(Use.ESCAPE, "an array element", viaTernary);
    }
    return new Context(Use.ESCAPE, "'" + target + "'", viaTernary);
  }
}
