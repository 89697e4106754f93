package dev.panamax.checkers.ownership;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.VariableElement;
import org.jspecify.annotations.Nullable;
import org.checkerframework.dataflow.analysis.Store;
import org.checkerframework.dataflow.cfg.visualize.CFGVisualizer;
import org.checkerframework.dataflow.expression.JavaExpression;

/** Maps each tracked packet variable to its {@link OwnershipValue}. Absent means not in play. */
final class OwnershipStore implements Store<OwnershipStore> {
  final Map<VariableElement, OwnershipValue> vars;

  OwnershipStore() {
    this.vars = new LinkedHashMap<>();
  }

  private OwnershipStore(Map<VariableElement, OwnershipValue> vars) {
    this.vars = new LinkedHashMap<>(vars);
  }

  @Nullable OwnershipValue get(VariableElement v) {
    return vars.get(v);
  }

  void put(VariableElement v, OwnershipValue value) {
    vars.put(v, value);
  }

  /** Replaces OWN by UNCHK everywhere: the store seen by an unchecked-exception edge. */
  OwnershipStore forUncheckedException() {
    return replacing(OwnershipValue.OWN, OwnershipValue.UNCHK);
  }

  /**
   * Replaces UNCHK by OWN everywhere: the store at the start of a catch block. An exception that a
   * catch handles ends there; the paths through the catch block are ordinary paths.
   */
  OwnershipStore forCaughtException() {
    return replacing(OwnershipValue.UNCHK, OwnershipValue.OWN);
  }

  private OwnershipStore replacing(int from, int to) {
    OwnershipStore s = copy();
    for (Map.Entry<VariableElement, OwnershipValue> e : s.vars.entrySet()) {
      OwnershipValue v = e.getValue();
      if (v.has(from)) {
        e.setValue(v.withFlags((v.flags & ~from) | to));
      }
    }
    return s;
  }

  @Override
  public OwnershipStore copy() {
    return new OwnershipStore(vars);
  }

  @Override
  public OwnershipStore leastUpperBound(OwnershipStore other) {
    OwnershipStore out = new OwnershipStore(vars);
    for (Map.Entry<VariableElement, OwnershipValue> e : other.vars.entrySet()) {
      OwnershipValue mine = out.vars.get(e.getKey());
      out.vars.put(e.getKey(), mine == null ? e.getValue() : mine.leastUpperBound(e.getValue()));
    }
    return out;
  }

  @Override
  public OwnershipStore widenedUpperBound(OwnershipStore previous) {
    return leastUpperBound(previous);
  }

  @Override
  public boolean canAlias(JavaExpression a, JavaExpression b) {
    return true;
  }

  @Override
  public String visualize(CFGVisualizer<?, OwnershipStore, ?> viz) {
    return vars.toString();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof OwnershipStore s && s.vars.equals(vars);
  }

  @Override
  public int hashCode() {
    return vars.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    vars.forEach((k, v) -> sb.append(k.getSimpleName()).append('=').append(v).append(' '));
    return sb.append('}').toString();
  }
}
