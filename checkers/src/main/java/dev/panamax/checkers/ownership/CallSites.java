package dev.panamax.checkers.ownership;

import java.util.List;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import org.jspecify.annotations.Nullable;

/**
 * The call-site model: what passing a packet to a parameter or calling a method on it does to its
 * ownership. A {@code @Consumes} (or {@code @Owned}) parameter takes it; a receiver declared
 * {@code @Consumes} ({@code OwnedPacket.free()}) is consumed; any other parameter borrows it.
 */
final class CallSites {
  private final PacketTypes packets;

  CallSites(PacketTypes packets) {
    this.packets = packets;
  }

  /** How argument {@code i} of a call to {@code m} consumes a packet, or null if it borrows it. */
  @Nullable String consumption(ExecutableElement m, int i) {
    return packets.consumesParameter(m, i) ? describeCall(m, i) : null;
  }

  /**
   * Where argument {@code i} of a call to {@code m} stores a packet, if {@code m} puts it into a
   * {@code java.util} collection (see {@link PacketTypes#storesInCollection}); null otherwise.
   * {@code receiver} is the call's receiver expression, or null for a static call.
   */
  @Nullable String storage(ExecutableElement m, int i, @Nullable Object receiver) {
    if (!packets.storesInCollection(m, i)) {
      return null;
    }
    String call = m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName() + "()";
    if (!m.getModifiers().contains(Modifier.STATIC) && receiver != null) {
      return "the collection '" + receiver + "' by " + call;
    }
    String name = m.getSimpleName().toString();
    if (call.equals("Arrays.fill()")) {
      return "the array filled by Arrays.fill()";
    }
    return name.startsWith("add") || name.equals("fill")
        ? "the collection filled by " + call
        : "the collection made by " + call;
  }

  /** How calling {@code m} on a packet consumes it, or null if the call only uses it. */
  @Nullable String receiverConsumption(ExecutableElement m) {
    return packets.consumesReceiver(m) ? "freed by " + m.getSimpleName() + "()" : null;
  }

  /** "moved into a batch by PacketBatch.add()", "passed to the @Consumes parameter 'p' of ...". */
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
}
