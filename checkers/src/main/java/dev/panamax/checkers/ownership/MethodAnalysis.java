package dev.panamax.checkers.ownership;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.SourcePositions;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;
import org.checkerframework.dataflow.analysis.ForwardAnalysisImpl;
import org.checkerframework.dataflow.analysis.TransferInput;
import org.checkerframework.dataflow.analysis.TransferResult;
import org.checkerframework.dataflow.cfg.ControlFlowGraph;
import org.checkerframework.dataflow.cfg.block.Block;
import org.checkerframework.dataflow.cfg.block.ConditionalBlock;
import org.checkerframework.dataflow.cfg.block.ExceptionBlock;
import org.checkerframework.dataflow.cfg.block.SingleSuccessorBlock;
import org.checkerframework.dataflow.cfg.block.SpecialBlock;
import org.checkerframework.dataflow.cfg.node.Node;
import org.jspecify.annotations.Nullable;

/**
 * The ownership analysis of one method or lambda body: a forward dataflow analysis over the
 * Checker Framework CFG ({@link OwnershipTransfer}), then a reporting pass over the fixpoint that
 * replays every block, lets the transfer functions report misuse, and checks every edge for
 * leaks ({@link LeakPaths}).
 *
 * <p>Where the rules live: the store and values in {@link OwnershipStore} and {@link
 * OwnershipValue}; the transfer function per node kind in {@link OwnershipTransfer}; how one
 * occurrence of a variable is used in {@link Uses}; consuming and borrowing parameters in {@link
 * CallSites}; leak paths and their messages in {@link LeakPaths}; scopes and positions in {@link
 * Body}; dropped temporaries and captures in {@link OwnershipVisitor}.
 */
final class MethodAnalysis {
  private final Body body;
  private final Types types;
  private final Diagnostics diagnostics;

  MethodAnalysis(
      PacketTypes packets,
      Types types,
      CompilationUnitTree root,
      SourcePositions positions,
      Diagnostics.Reporter reporter,
      Tree owner,
      Tree body,
      boolean returnsOwnership,
      @Nullable ExecutableElement lambdaMethod) {
    this.body = new Body(packets, root, positions, owner, body, returnsOwnership, lambdaMethod);
    this.types = types;
    this.diagnostics = new Diagnostics(reporter, this.body);
  }

  void run(ControlFlowGraph cfg) {
    if (!body.packets.enabled()) {
      return;
    }
    body.prescan();
    if (body.scopes.isEmpty()) {
      return;
    }
    CallSites calls = new CallSites(body.packets);
    OwnershipTransfer transfer =
        new OwnershipTransfer(body, types, new Uses(body, calls), calls, diagnostics);
    ForwardAnalysisImpl<OwnershipValue, OwnershipStore, OwnershipTransfer> analysis =
        new ForwardAnalysisImpl<>(transfer);
    analysis.performAnalysis(cfg);
    diagnostics.enable();
    LeakPaths leaks = new LeakPaths(body, diagnostics);
    for (Block b : cfg.getDepthFirstOrderedBlocks()) {
      TransferInput<OwnershipValue, OwnershipStore> in = analysis.getInput(b);
      if (in == null) {
        continue;
      }
      switch (b.getType()) {
        case REGULAR_BLOCK, EXCEPTION_BLOCK -> replay(b, in, analysis, transfer, leaks);
        case CONDITIONAL_BLOCK -> {
          ConditionalBlock cb = (ConditionalBlock) b;
          leaks.checkEdge(b, cb.getThenSuccessor(), in.getThenStore(), null, "true");
          leaks.checkEdge(b, cb.getElseSuccessor(), in.getElseStore(), null, "false");
        }
        case SPECIAL_BLOCK -> {
          SpecialBlock sb = (SpecialBlock) b;
          if (sb.getSuccessor() != null) {
            leaks.checkEdge(b, sb.getSuccessor(), in.getRegularStore(), null, null);
          }
        }
      }
    }
    leaks.report();
  }

  /** Runs the transfer functions of one block again, now reporting, and checks its edges. */
  private void replay(
      Block b,
      TransferInput<OwnershipValue, OwnershipStore> in,
      ForwardAnalysisImpl<OwnershipValue, OwnershipStore, OwnershipTransfer> analysis,
      OwnershipTransfer transfer,
      LeakPaths leaks) {
    OwnershipStore store = in.getRegularStore();
    TransferResult<OwnershipValue, OwnershipStore> result = null;
    Node prev = b.getPredecessors().size() == 1
        ? leaks.lastPositioned(b.getPredecessors().iterator().next(), new HashSet<>())
        : null;
    for (Node n : b.getNodes()) {
      if (body.positioned(n.getTree())) {
        if (prev != null && b.getNodes().indexOf(prev) >= 0) {
          leaks.checkTransition(prev, body.start(n.getTree()), false, null, store, null, null);
        }
        prev = n;
      }
      result = n.accept(transfer, new TransferInput<>(n, analysis, store));
      store = result.getRegularStore();
    }
    Block succ = ((SingleSuccessorBlock) b).getSuccessor();
    if (succ != null && !(succ instanceof ConditionalBlock)) {
      leaks.checkEdge(b, succ, store, null, null);
    }
    if (b instanceof ExceptionBlock eb && result != null) {
      for (Map.Entry<TypeMirror, Set<Block>> e : eb.getExceptionalSuccessors().entrySet()) {
        OwnershipStore ex = result.getExceptionalStore(e.getKey());
        if (ex == null) {
          continue;
        }
        for (Block target : e.getValue()) {
          leaks.checkEdge(b, target, ex, e.getKey(), null);
        }
      }
    }
  }
}
