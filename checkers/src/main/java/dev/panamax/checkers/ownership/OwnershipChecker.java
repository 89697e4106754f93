package dev.panamax.checkers.ownership;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;
import org.checkerframework.framework.source.SourceChecker;
import org.checkerframework.framework.source.SourceVisitor;
import org.checkerframework.framework.source.SuppressWarningsPrefix;
import org.jspecify.annotations.Nullable;

/**
 * Compile-time linearity of {@code dev.panamax.api.OwnedPacket}: use after consumption, double
 * consumption, leaks, consuming a borrowed packet, and packets escaping into fields, arrays,
 * collections or captures. Run it as an annotation processor:
 * {@code -processor dev.panamax.checkers.ownership.OwnershipChecker}.
 *
 * <p>Suppress one finding with {@code @SuppressWarnings("ownership")} (every key) or
 * {@code @SuppressWarnings("ownership:ownership.escape")} (one key) on the declaration.
 *
 * <p>One compilation shows every error of this checker and of Error Prone. Two things stand in
 * the way when both run in one javac, and this class removes both:
 *
 * <ul>
 *   <li>the Checker Framework skips every class analysed after the first error of any tool (an
 *       Error Prone finding in one file silenced this checker in all later files): here a class is
 *       skipped only if javac itself could not attribute it;
 *   <li>Error Prone skips every file analysed after an error it did not report itself: so this
 *       checker's diagnostics are held back until javac has analysed the last class (Error Prone,
 *       a javac plugin, sees each class before the processors do), then printed together.
 * </ul>
 */
@SuppressWarningsPrefix("ownership")
public final class OwnershipChecker extends SourceChecker {

  /** A diagnostic held back until every class has been analysed. */
  private record Held(
      Diagnostic.Kind kind, String message, @Nullable Tree source, @Nullable CompilationUnitTree root,
      StackTraceElement[] trace) {}

  private final List<Held> held = new ArrayList<>();
  private boolean released;

  /** Creates the checker; javac instantiates it as an annotation processor. */
  public OwnershipChecker() {}

  @Override
  protected SourceVisitor<?, ?> createSourceVisitor() {
    getTreePathCacher(); // SourceChecker.setRoot expects it to exist; BaseTypeChecker creates it
    return new OwnershipVisitor(this);
  }

  @Override
  public void typeProcessingStart() {
    super.typeProcessingStart();
    // Should javac finish without the last class reaching this checker, release the rest then.
    JavacTask.instance(processingEnv).addTaskListener(new TaskListener() {
      @Override
      public void finished(TaskEvent e) {
        if (e.getKind() == TaskEvent.Kind.COMPILATION) {
          release();
        }
      }
    });
  }

  /** Checks one class; unlike SourceChecker's, not skipped because another tool found errors. */
  @Override
  public void typeProcess(TypeElement element, TreePath path) {
    if (element == null || path == null || visitor == null || notAttributed(path)) {
      return;
    }
    if (messageStore != null) {
      messageStore.clear();
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    if (unit != currentRoot) {
      setRoot(unit);
    }
    try {
      visitor.visit(path);
    } catch (RuntimeException | AssertionError e) {
      held.add(new Held(Diagnostic.Kind.ERROR, "[ownership.crash] the ownership checker failed on "
          + element.getQualifiedName() + ": " + e + "; compile this class with"
          + " @SuppressWarnings(\"ownership\") and report the failure", null, null, e.getStackTrace()));
    }
    printStoredMessages(unit);
  }

  /** Whether javac reported errors that left this class without types (nothing to check). */
  private boolean notAttributed(TreePath path) {
    Trees trees = Trees.instance(processingEnv);
    Boolean found = new TreePathScanner<Boolean, Void>() {
      @Override
      public Boolean scan(Tree tree, Void p) {
        if (tree == null) {
          return false;
        }
        if (tree.getKind() == Tree.Kind.ERRONEOUS) {
          return true;
        }
        TreePath here = new TreePath(getCurrentPath() == null ? path : getCurrentPath(), tree);
        TypeMirror t = trees.getTypeMirror(here);
        if (t != null && t.getKind() == TypeKind.ERROR) {
          return true;
        }
        return Boolean.TRUE.equals(super.scan(tree, p));
      }

      @Override
      public Boolean reduce(Boolean a, Boolean b) {
        return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
      }
    }.scan(path, null);
    return Boolean.TRUE.equals(found);
  }

  /** Holds a diagnostic back (see the class comment); prints directly once released. */
  @Override
  protected void printOrStoreMessage(
      Diagnostic.Kind kind,
      String message,
      Tree source,
      CompilationUnitTree root,
      StackTraceElement[] trace) {
    if (released) {
      super.printOrStoreMessage(kind, message, source, root, trace);
    } else {
      held.add(new Held(kind, message, source, root, trace));
    }
  }

  @Override
  public void typeProcessingOver() {
    release();
    super.typeProcessingOver();
  }

  private void release() {
    if (released) {
      return;
    }
    released = true;
    for (Held h : held) {
      if (h.source() == null || h.root() == null) {
        messager.printMessage(h.kind(), h.message());
      } else {
        super.printOrStoreMessage(h.kind(), h.message(), h.source(), h.root(), h.trace());
      }
    }
    held.clear();
  }
}
