package dev.panamax.checkers.ownership;

import com.sun.source.tree.MemberReferenceTree;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import org.checkerframework.javacutil.TreeUtils;
import org.jspecify.annotations.Nullable;

/**
 * Method references, checked like the lambda each one stands for. {@code batch.forEach(
 * OwnedPacket::free)} is {@code batch.forEach(p -> p.free())}: the functional interface's
 * parameter {@code p} is lent (or owned, if declared {@code @Consumes}) and is handed to the
 * referenced method, as its receiver ({@code Type::method} with an instance method) or as an
 * argument ({@code pool::free}, {@code Type::staticMethod}, {@code Type::new}).
 *
 * <ul>
 *   <li>a lent packet handed to a consuming parameter or receiver: {@code
 *       ownership.borrowed.consumed};
 *   <li>an owned packet handed to a borrowing parameter: nothing consumes it, {@code
 *       ownership.leak};
 *   <li>an owned result where the functional method returns void: {@code
 *       ownership.leak.unassigned};
 *   <li>a lent result where the functional method returns ownership: {@code
 *       ownership.borrowed.consumed}.
 * </ul>
 *
 * <p>A bound receiver that is a packet variable ({@code p::free}) is captured by the reference:
 * {@link Uses} makes it an escape, as a lambda capture is.
 */
final class MethodReferences {
  private final PacketTypes packets;
  private final Diagnostics.Reporter reporter;

  MethodReferences(PacketTypes packets, Diagnostics.Reporter reporter) {
    this.packets = packets;
    this.reporter = reporter;
  }

  /** Checks {@code ref}, whose functional interface type is {@code functionalType}. */
  void check(MemberReferenceTree ref, @Nullable TypeMirror functionalType, long line) {
    ExecutableElement sam = packets.functionalMethod(functionalType);
    Element e = TreeUtils.elementFromUse(ref);
    if (sam == null || !(e instanceof ExecutableElement target)) {
      return;
    }
    boolean unbound = TreeUtils.MemberReferenceKind.getMemberReferenceKind(ref).isUnbound();
    List<? extends VariableElement> samParams = sam.getParameters();
    for (int i = 0; i < samParams.size(); i++) {
      boolean owned = packets.consumesParameter(sam, i);
      Handover h = unbound && i == 0 ? receiver(target) : argument(target, unbound ? i - 1 : i);
      if (h == null || !(packets.isPacket(samParams.get(i).asType()) || packets.isPacket(h.type()))) {
        continue;
      }
      if (h.consumes() != null && !owned) {
        reporter.report(ref, "ownership.borrowed.consumed",
            "the packet that " + describe(sam) + " lends to the method reference " + ref,
            h.consumes(), hintForLent(sam));
      } else if (owned && h.consumes() == null) {
        reporter.report(ref, "ownership.leak",
            "the packet that " + describe(sam) + " hands over to the method reference " + ref, line,
            describe(target) + " only borrows it (" + h.what() + " is not @Consumes), so nothing"
                + " consumes it");
      }
    }
    checkResult(ref, sam, target);
  }

  private void checkResult(MemberReferenceTree ref, ExecutableElement sam, ExecutableElement target) {
    if (!packets.isPacket(target.getReturnType())) {
      return;
    }
    PacketTypes.Result result = packets.resultOf(target);
    if (result == PacketTypes.Result.OWNED && sam.getReturnType().getKind() == TypeKind.VOID) {
      reporter.report(ref, "ownership.leak.unassigned", target.getSimpleName(),
          "is dropped by the method reference " + ref + ": it implements " + describe(sam)
              + ", which returns void (write a lambda that consumes it)");
    } else if (result == PacketTypes.Result.BORROWED && packets.returnsOwnership(sam)) {
      reporter.report(ref, "ownership.borrowed.consumed", "the packet lent by " + describe(target),
          "returned by the method reference " + ref, hintForBorrowedResult(sam));
    }
  }

  /** What the functional interface's packet meets in the referenced method. */
  private record Handover(TypeMirror type, @Nullable String consumes, String what) {}

  private @Nullable Handover receiver(ExecutableElement target) {
    if (!(target.getEnclosingElement() instanceof TypeElement owner)) {
      return null;
    }
    return new Handover(owner.asType(),
        packets.consumesReceiver(target) ? "freed by " + target.getSimpleName() + "()" : null,
        "its receiver");
  }

  private @Nullable Handover argument(ExecutableElement target, int j) {
    List<? extends VariableElement> ps = target.getParameters();
    if (ps.isEmpty() || j < 0) {
      return null;
    }
    VariableElement p = ps.get(Math.min(j, ps.size() - 1));
    TypeMirror t = p.asType();
    if (target.isVarArgs() && j >= ps.size() - 1 && t instanceof ArrayType at) {
      t = at.getComponentType();
    }
    return new Handover(t, packets.consumesParameter(target, j) ? CallSites.describeCall(target, j) : null,
        "its parameter '" + p.getSimpleName() + "'");
  }

  /** "PacketVisitor.visit()", "Mempool.free()", "new Wrapper()". */
  static String describe(ExecutableElement m) {
    String owner = m.getEnclosingElement().getSimpleName().toString();
    if (m.getKind() == ElementKind.CONSTRUCTOR) {
      return "new " + owner + "()";
    }
    return owner + "." + m.getSimpleName() + "()";
  }

  static String hintForLent(ExecutableElement sam) {
    if (isApi(sam)) {
      return "a method reference is checked like the lambda it stands for; "
          + "to drop packets from a batch use batch.freeIf(filter) or batch.freeAll()";
    }
    return "a method reference is checked like the lambda it stands for; only a functional"
        + " interface whose parameter is declared @Consumes hands over ownership";
  }

  static String hintForBorrowedResult(ExecutableElement returning) {
    return describe(returning) + " hands its result over to its caller: return a packet you own"
        + " (one taken with take() or allocated), or declare " + describe(returning) + " @Borrowed";
  }

  private static boolean isApi(ExecutableElement m) {
    return m.getEnclosingElement() instanceof TypeElement te
        && te.getQualifiedName().toString().startsWith("dev.panamax.api.");
  }
}
