package dev.panamax.checkers.ownership;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import org.jspecify.annotations.Nullable;

/**
 * What the checker knows about the Panamax api: which types are packets and which methods and
 * parameters move ownership. Annotations are matched by name so that the checker itself does not
 * depend on the api jar.
 */
final class PacketTypes {
  static final String PACKET = "dev.panamax.api.OwnedPacket";
  static final String OWNED = "dev.panamax.api.Owned";
  static final String CONSUMES = "dev.panamax.api.Consumes";
  static final String BORROWED = "dev.panamax.api.Borrowed";

  /** Ownership of a value produced by an expression. */
  enum Result {
    /** Not a packet. */
    NONE,
    /** A packet the caller now owns and must consume. */
    OWNED,
    /** A packet lent to the caller. */
    BORROWED
  }

  private final Types types;
  private final Elements elements;
  private final @Nullable TypeMirror packetType;

  PacketTypes(Types types, Elements elements) {
    this.types = types;
    this.elements = elements;
    TypeElement packet = elements.getTypeElement(PACKET);
    this.packetType = packet == null ? null : types.erasure(packet.asType());
  }

  /** Whether the api is on the classpath at all; without it there is nothing to check. */
  boolean enabled() {
    return packetType != null;
  }

  /** A declared (class or interface) type that is OwnedPacket or one of its subtypes. */
  boolean isPacket(@Nullable TypeMirror type) {
    if (packetType == null || type == null || type.getKind() != TypeKind.DECLARED) {
      return false;
    }
    return types.isAssignable(types.erasure(type), packetType);
  }

  static boolean hasAnnotation(List<? extends AnnotationMirror> annos, String name) {
    for (AnnotationMirror a : annos) {
      Element e = a.getAnnotationType().asElement();
      if (e instanceof TypeElement te && te.getQualifiedName().contentEquals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Declaration or type-use annotation on a variable (parameter, field, local). */
  static boolean variableHas(VariableElement v, String name) {
    return hasAnnotation(v.getAnnotationMirrors(), name)
        || hasAnnotation(v.asType().getAnnotationMirrors(), name);
  }

  /** The method itself and every method it overrides, nearest first. */
  List<ExecutableElement> withOverridden(ExecutableElement method) {
    List<ExecutableElement> out = new java.util.ArrayList<>();
    out.add(method);
    if (method.getModifiers().contains(Modifier.STATIC)
        || method.getKind() == ElementKind.CONSTRUCTOR
        || !(method.getEnclosingElement() instanceof TypeElement owner)) {
      return out;
    }
    Deque<TypeMirror> todo = new ArrayDeque<>(types.directSupertypes(owner.asType()));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      TypeMirror t = todo.pop();
      if (!(t instanceof DeclaredType dt) || !(dt.asElement() instanceof TypeElement te)) {
        continue;
      }
      if (!seen.add(te.getQualifiedName().toString())) {
        continue;
      }
      for (ExecutableElement m : ElementFilter.methodsIn(te.getEnclosedElements())) {
        if (m.getSimpleName().contentEquals(method.getSimpleName())
            && elements.overrides(method, m, owner)) {
          out.add(m);
        }
      }
      todo.addAll(types.directSupertypes(t));
    }
    return out;
  }

  /** Whether argument {@code index} of a call to {@code method} is a consuming parameter. */
  boolean consumesParameter(ExecutableElement method, int index) {
    for (ExecutableElement m : withOverridden(method)) {
      List<? extends VariableElement> params = m.getParameters();
      if (params.isEmpty()) {
        return false;
      }
      VariableElement p = params.get(Math.min(index, params.size() - 1));
      if (variableHas(p, CONSUMES) || variableHas(p, OWNED)) {
        return true;
      }
    }
    return false;
  }

  /** Whether calling {@code method} consumes its receiver, like {@code OwnedPacket.free()}. */
  boolean consumesReceiver(ExecutableElement method) {
    for (ExecutableElement m : withOverridden(method)) {
      TypeMirror receiver = m.getReceiverType();
      if (receiver != null
          && receiver.getKind() != TypeKind.NONE
          && hasAnnotation(receiver.getAnnotationMirrors(), CONSUMES)) {
        return true;
      }
      // Fallback for class files read without receiver type annotations.
      if (m.getEnclosingElement() instanceof TypeElement te
          && te.getQualifiedName().contentEquals(PACKET)
          && m.getSimpleName().contentEquals("free")
          && m.getParameters().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Ownership of what a call returns. {@code @Borrowed} methods lend; {@code @Owned} methods and
   * every other method whose declared return type is a packet type give ownership. A method whose
   * declared return type is a type variable (List.get, Iterator.next) lends.
   */
  Result resultOf(ExecutableElement method) {
    boolean owned = false;
    for (ExecutableElement m : withOverridden(method)) {
      if (hasAnnotation(m.getAnnotationMirrors(), BORROWED)
          || hasAnnotation(m.getReturnType().getAnnotationMirrors(), BORROWED)) {
        return Result.BORROWED;
      }
      if (hasAnnotation(m.getAnnotationMirrors(), OWNED)
          || hasAnnotation(m.getReturnType().getAnnotationMirrors(), OWNED)) {
        owned = true;
      }
    }
    if (owned) {
      return Result.OWNED;
    }
    return isPacket(method.getReturnType()) ? Result.OWNED : Result.NONE;
  }

  /** Whether a method, or the functional method a lambda implements, hands its result over. */
  boolean returnsOwnership(ExecutableElement method) {
    return isPacket(method.getReturnType()) && resultOf(method) == Result.OWNED;
  }

  /**
   * Whether a packet passed as argument {@code index} of {@code method} is stored in a {@code
   * java.util} collection: a parameter typed by an element type variable of a {@code Collection},
   * {@code Map}, {@code Map.Entry} or {@code ListIterator} method ({@code add(E)}, {@code
   * put(K, V)}, {@code push(E)}, {@code set(int, E)} ...), a type-variable parameter of a static
   * factory of {@code List}, {@code Set}, {@code Map}, {@code Collections} or {@code Arrays}
   * ({@code List.of(E...)}, {@code Arrays.asList(T...)}, {@code Collections.addAll(c, T...)}),
   * or the value of {@code Arrays.fill}. Parameters typed {@code Object} ({@code contains},
   * {@code remove}, {@code indexOf}, {@code get}) only look the packet up.
   */
  boolean storesInCollection(ExecutableElement method, int index) {
    if (!(method.getEnclosingElement() instanceof TypeElement owner)) {
      return false;
    }
    List<? extends VariableElement> params = method.getParameters();
    if (params.isEmpty()) {
      return false;
    }
    VariableElement p = params.get(Math.min(index, params.size() - 1));
    String ownerName = owner.getQualifiedName().toString();
    if (ownerName.equals("java.util.Arrays") && method.getSimpleName().contentEquals("fill")) {
      return index == params.size() - 1;
    }
    TypeMirror t = p.asType();
    if (method.isVarArgs() && index >= params.size() - 1 && t instanceof ArrayType at) {
      t = at.getComponentType();
    }
    if (!(t instanceof TypeVariable tv)) {
      return false;
    }
    Element declaredBy = tv.asElement().getEnclosingElement();
    if (method.getModifiers().contains(Modifier.STATIC)) {
      return declaredBy == method && STATIC_FACTORIES.contains(ownerName);
    }
    return declaredBy == owner && isJavaUtilContainer(owner);
  }

  private static final Set<String> STATIC_FACTORIES = Set.of(
      "java.util.List", "java.util.Set", "java.util.Map", "java.util.Collections", "java.util.Arrays",
      "java.util.EnumSet");

  private static final List<String> CONTAINERS = List.of(
      "java.util.Collection", "java.util.Map", "java.util.Map.Entry", "java.util.ListIterator");

  private boolean isJavaUtilContainer(TypeElement type) {
    for (String name : CONTAINERS) {
      TypeElement c = elements.getTypeElement(name);
      if (c != null && types.isSubtype(types.erasure(type.asType()), types.erasure(c.asType()))) {
        return true;
      }
    }
    return false;
  }

  /** Whether a field is a sanctioned owning slot ({@code @Owned OwnedPacket pending;}). */
  static boolean isOwningField(VariableElement field) {
    return variableHas(field, OWNED);
  }

  /** The single abstract method of a functional interface type, or null. */
  @Nullable ExecutableElement functionalMethod(@Nullable TypeMirror type) {
    if (!(type instanceof DeclaredType dt) || !(dt.asElement() instanceof TypeElement te)) {
      return null;
    }
    for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(te))) {
      if (m.getModifiers().contains(Modifier.ABSTRACT)
          && !(m.getEnclosingElement() instanceof TypeElement owner
              && owner.getQualifiedName().contentEquals("java.lang.Object"))
          && !isObjectMethod(m)) {
        return m;
      }
    }
    return null;
  }

  private boolean isObjectMethod(ExecutableElement m) {
    String n = m.getSimpleName().toString();
    return (n.equals("equals") && m.getParameters().size() == 1)
        || (n.equals("hashCode") && m.getParameters().isEmpty())
        || (n.equals("toString") && m.getParameters().isEmpty());
  }
}
