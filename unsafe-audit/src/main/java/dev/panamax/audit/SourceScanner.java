package dev.panamax.audit;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jspecify.annotations.Nullable;

/**
 * Reads the main sources of the audited modules: code lines per package for all of them, and
 * for the unsafe package the members with their spans, found with the JDK's own parser
 * ({@code com.sun.source} through {@link JavacTask#parse()}, no symbol resolution), so method
 * boundaries, nested types, lambdas and comments are exactly what javac sees.
 */
final class SourceScanner {
  private SourceScanner() {}

  /** What the scan found. */
  record Result(List<PackageStats> packages, List<Member> members) {}

  private static final Pattern KOTLIN_PACKAGE =
      Pattern.compile("(?m)^\\s*package\\s+([\\w.`]+)");

  static Result scan(Path root) {
    Map<String, int[]> perPackage = new TreeMap<>(); // "module\0package" -> {files, lines}
    Map<String, Boolean> inShare = new TreeMap<>();
    List<Member> members = new ArrayList<>();
    String unsafe = AuditConfig.unsafePackage();
    for (AuditModule module : AuditConfig.MODULES) {
      Path dir = root.resolve(module.dir());
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> javaFiles = new ArrayList<>();
      List<Path> kotlinFiles = new ArrayList<>();
      for (String lang : List.of("java", "kotlin")) {
        for (Path f : sourceFiles(dir.resolve("src/main/" + lang))) {
          (f.toString().endsWith(".kt") ? kotlinFiles : javaFiles).add(f);
        }
      }
      for (Path f : kotlinFiles) {
        String text = read(f);
        Matcher m = KOTLIN_PACKAGE.matcher(text);
        String pkg = m.find() ? m.group(1).replace("`", "") : "(default package)";
        add(perPackage, inShare, module, pkg, CodeLines.ofKotlin(text).total());
      }
      for (Parsed p : parse(javaFiles)) {
        CodeLines lines = CodeLines.ofJava(p.text);
        String pkg =
            p.unit.getModule() != null
                ? "(module-info)"
                : p.unit.getPackageName() == null ? "(default package)" : p.unit.getPackageName().toString();
        add(perPackage, inShare, module, pkg, lines.total());
        if (pkg.equals(unsafe) || pkg.startsWith(unsafe + ".")) {
          members.addAll(members(root, p, lines));
        }
      }
    }
    List<PackageStats> packages = new ArrayList<>();
    perPackage.forEach(
        (key, v) -> {
          String[] parts = key.split("\0", 2);
          packages.add(new PackageStats(parts[0], parts[1], v[0], v[1], inShare.get(key)));
        });
    return new Result(List.copyOf(packages), List.copyOf(members));
  }

  private static void add(
      Map<String, int[]> perPackage,
      Map<String, Boolean> inShare,
      AuditModule module,
      String pkg,
      int lines) {
    String key = module.dir() + "\0" + pkg;
    int[] v = perPackage.computeIfAbsent(key, k -> new int[2]);
    v[0]++;
    v[1] += lines;
    inShare.put(key, module.inShare());
  }

  private static List<Path> sourceFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".kt"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Parsed(Path file, String text, CompilationUnitTree unit, JavacTask task) {}

  private static List<Parsed> parse(List<Path> files) {
    if (files.isEmpty()) {
      return List.of();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no system Java compiler: run the audit on a JDK, not a JRE");
    }
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> objects = fm.getJavaFileObjectsFromPaths(files);
      JavacTask task =
          (JavacTask) javac.getTask(null, fm, d -> {}, List.of("-proc:none"), null, objects);
      List<Parsed> out = new ArrayList<>();
      for (CompilationUnitTree unit : task.parse()) {
        Path file = Path.of(unit.getSourceFile().toUri());
        out.add(new Parsed(file, read(file), unit, task));
      }
      out.sort(Comparator.comparing(Parsed::file));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A member's tree and where it is. */
  private record Span(String type, Tree tree, TreePath path, int startLine, int endLine) {}

  private static List<Member> members(Path root, Parsed p, CodeLines lines) {
    DocTrees docs = DocTrees.instance(p.task);
    SourcePositions pos = docs.getSourcePositions();
    LineMap map = p.unit.getLineMap();
    List<Span> spans = new ArrayList<>();
    TreePath unitPath = new TreePath(p.unit);
    for (Tree t : p.unit.getTypeDecls()) {
      if (t instanceof ClassTree c) {
        collect(c.getSimpleName().toString(), new TreePath(unitPath, c), pos, map, p.unit, spans);
      }
    }
    String file = root.relativize(p.file).toString().replace('\\', '/');
    boolean[] taken = new boolean[lines.lineCount() + 2];
    List<Member> out = new ArrayList<>();
    for (Span s : spans) {
      int count = 0;
      for (int l = s.startLine; l <= s.endLine; l++) {
        if (lines.isCode(l) && !taken[l]) {
          taken[l] = true;
          count++;
        }
      }
      Signals.Tally tally = new Signals.Tally();
      scanSignals(s.tree, tally);
      Category category = tally.category();
      if (s.tree instanceof VariableTree && category == null) {
        for (int l = s.startLine; l <= s.endLine; l++) {
          taken[l] = false; // plain fields are declarations
        }
        continue;
      }
      long start = pos.getStartPosition(p.unit, s.tree);
      String soundness = Soundness.find(docs.getDocComment(s.path), p.text, (int) start);
      Category hint = AuditConfig.TYPE_HINTS.get(s.type.replaceAll("\\..*", ""));
      if (category == null && soundness != null && hint != null) {
        tally.hint(hint, s.type);
        category = tally.category();
      }
      if (category == null) {
        category = Category.OTHER_METHODS;
      }
      out.add(
          new Member(
              s.type, describe(s.tree), kind(s.tree), file, count, category, tally.evidence(), soundness));
    }
    int rest = 0;
    for (int l = 1; l <= lines.lineCount(); l++) {
      if (lines.isCode(l) && !taken[l]) {
        rest++;
      }
    }
    if (rest > 0) {
      out.add(
          new Member(
              topType(p.unit), "(outside members)", "declarations", file, rest, Category.DECLARATIONS, List.of(), null));
    }
    return out;
  }

  private static String topType(CompilationUnitTree unit) {
    for (Tree t : unit.getTypeDecls()) {
      if (t instanceof ClassTree c) {
        return c.getSimpleName().toString();
      }
    }
    return "package-info";
  }

  private static void collect(
      String type, TreePath classPath, SourcePositions pos, LineMap map, CompilationUnitTree unit, List<Span> spans) {
    ClassTree c = (ClassTree) classPath.getLeaf();
    for (Tree m : c.getMembers()) {
      TreePath path = new TreePath(classPath, m);
      if (m instanceof ClassTree nested) {
        collect(type + "." + nested.getSimpleName(), path, pos, map, unit, spans);
        continue;
      }
      if (!(m instanceof MethodTree || m instanceof VariableTree || m instanceof BlockTree)) {
        continue;
      }
      long start = pos.getStartPosition(unit, m);
      long end = pos.getEndPosition(unit, m);
      if (start < 0 || end < 0) {
        continue; // synthesized, e.g. a record's implicit members
      }
      spans.add(new Span(type, m, path, (int) map.getLineNumber(start), (int) map.getLineNumber(Math.max(start, end - 1))));
    }
  }

  private static String kind(Tree t) {
    if (t instanceof MethodTree m) {
      return m.getReturnType() == null ? "constructor" : "method";
    }
    return t instanceof BlockTree ? "initializer" : "field";
  }

  private static String describe(Tree t) {
    if (t instanceof MethodTree m) {
      List<String> params = new ArrayList<>();
      for (VariableTree v : m.getParameters()) {
        params.add(v.getType().toString().replaceAll("@[\\w.]+\\s*", "").replaceAll("\\s+", " ").trim());
      }
      String name = m.getReturnType() == null ? "<init>" : m.getName().toString();
      return name + "(" + String.join(", ", params) + ")";
    }
    if (t instanceof VariableTree v) {
      return v.getName().toString();
    }
    return ((BlockTree) t).isStatic() ? "static {}" : "{}";
  }

  private static void scanSignals(Tree member, Signals.Tally tally) {
    if (member instanceof MethodTree m) {
      tally.self(m.getName().toString(), m.getModifiers().getFlags().contains(Modifier.NATIVE));
    } else if (member instanceof VariableTree v) {
      tally.self(v.getName().toString(), false);
    }
    new TreeScanner<@Nullable Void, @Nullable Void>() {
      @Override
      public @Nullable Void visitMethodInvocation(MethodInvocationTree node, @Nullable Void unused) {
        Tree select = node.getMethodSelect();
        if (select instanceof IdentifierTree id) {
          tally.call(id.getName().toString());
        } else if (select instanceof MemberSelectTree ms) {
          tally.call(ms.getIdentifier().toString());
          scan(ms.getExpression(), null);
          scan(node.getTypeArguments(), null);
          scan(node.getArguments(), null);
          return null;
        }
        return super.visitMethodInvocation(node, null);
      }

      @Override
      public @Nullable Void visitMemberReference(MemberReferenceTree node, @Nullable Void unused) {
        tally.call(node.getName().toString());
        return super.visitMemberReference(node, null);
      }

      @Override
      public @Nullable Void visitIdentifier(IdentifierTree node, @Nullable Void unused) {
        tally.name(node.getName().toString());
        return null;
      }

      @Override
      public @Nullable Void visitMemberSelect(MemberSelectTree node, @Nullable Void unused) {
        tally.name(node.getIdentifier().toString());
        tally.qualified(node.toString());
        return super.visitMemberSelect(node, null);
      }

      @Override
      public @Nullable Void visitLiteral(LiteralTree node, @Nullable Void unused) {
        if (node.getValue() instanceof String s) {
          tally.string(s);
        }
        return null;
      }
    }.scan(member, null);
  }
}
