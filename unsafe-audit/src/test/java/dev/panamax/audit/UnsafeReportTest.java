package dev.panamax.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report on the real sources: share, soundness sentences, freshness of the committed files. */
class UnsafeReportTest {
  private static Path root;
  private static Report report;

  @BeforeAll
  static void scan() {
    root = RepoRoot.find();
    report = Report.scan(root);
  }

  @Test
  void theLibraryShareCountsApiAndImplOnly() {
    int library = 0;
    for (PackageStats p : report.packages()) {
      if (p.inShare() && (p.module().equals("api") || p.module().equals("impl"))) {
        library += p.codeLines();
      }
    }
    assertTrue(library > report.unsafeLines() && library < report.totalLines(),
        () -> "library " + report.libraryLines() + " of " + report.totalLines());
    org.junit.jupiter.api.Assertions.assertEquals(library, report.libraryLines());
    org.junit.jupiter.api.Assertions.assertEquals((double) report.unsafeLines() / library,
        report.libraryShare(), 1e-12);
  }

  @Test
  void theUnsafeShareStaysWithinTheTarget() {
    assertTrue(
        report.withinTarget(),
        () ->
            "unsafe share "
                + ReportFormat.percent(report.share())
                + " ("
                + report.unsafeLines()
                + " of "
                + report.totalLines()
                + " code lines) exceeds "
                + ReportFormat.percent(AuditConfig.MAX_SHARE)
                + "; see docs/unsafe-report.md (./panamax audit)");
  }

  @Test
  void everyUnsafeMethodSaysWhyItIsSound() {
    List<Member> missing = report.missingSoundness();
    assertTrue(
        missing.isEmpty(),
        () ->
            missing.size()
                + " unsafe member(s) lack a sentence starting with \"Sound\" in their Javadoc:\n"
                + missing.stream()
                    .map(m -> "  " + m.file() + ": " + m.type() + "." + m.name() + " [" + m.category().title() + "]")
                    .collect(Collectors.joining("\n"))
                + "\nadd one, then run ./panamax audit");
  }

  @Test
  void theCommittedReportIsCurrent() throws IOException {
    List<String> stale =
        UnsafeReport.stale(root, ReportFormat.markdown(report), ReportFormat.json(report));
    assertTrue(stale.isEmpty(), () -> "stale or missing: " + stale + ": " + UnsafeReport.REGENERATE);
  }

  @Test
  void membersAccountForEveryUnsafeLine() {
    assertEquals(report.unsafeLines(), report.members().stream().mapToInt(Member::codeLines).sum());
    assertTrue(report.unsafeLines() > 0, "no code found in " + AuditConfig.unsafePackage());
  }

  @Test
  void findsTheRepositoryRootFromASubdirectory() {
    assertEquals(root, RepoRoot.find(root.resolve("impl/src/main/java")));
  }

  @Test
  void scansATreeAndFlagsMissingSoundness(@TempDir Path tmp) throws IOException {
    Files.writeString(
        tmp.resolve("pom.xml"),
        "<project><parent><artifactId>x</artifactId></parent><artifactId>panamax-parent</artifactId></project>");
    Path unsafe = Files.createDirectories(tmp.resolve("impl/src/main/java/dev/panamax/impl/unsafe"));
    Files.writeString(
        unsafe.resolve("Raw.java"),
        """
        package dev.panamax.impl.unsafe;

        import java.lang.foreign.MemorySegment;

        /** Raw. */
        final class Raw {
          private final MemorySegment s;

          Raw(MemorySegment s) {
            this.s = s;
          }

          /**
           * Widens. Sound: the size is the BAR's.
           */
          MemorySegment widen(long size) {
            // a comment line
            return s.reinterpret(size);
          }

          long where() {
            return s.address();
          }

          static long plain(long x) { return x + 1; }
        }
        """);
    Path other = Files.createDirectories(tmp.resolve("api/src/main/java/dev/panamax/api"));
    Files.writeString(other.resolve("A.java"), "package dev.panamax.api;\n\n/** A. */\npublic class A {}\n");
    Report r = Report.scan(RepoRoot.find(unsafe));
    assertEquals(2 + 15, r.totalLines());
    assertEquals(15, r.unsafeLines());
    List<String> rows =
        r.members().stream().map(m -> m.name() + "=" + m.codeLines() + ":" + m.category()).toList();
    assertEquals(
        List.of(
            "<init>(MemorySegment)=3:OTHER_METHODS",
            "widen(long)=3:RAW_ADDRESS",
            "where()=3:RAW_ADDRESS",
            "plain(long)=1:OTHER_METHODS",
            "(outside members)=5:DECLARATIONS"),
        rows);
    assertEquals(List.of("where()"), r.missingSoundness().stream().map(Member::name).toList());
    assertEquals("Sound: the size is the BAR's.", r.members().get(1).soundness());
    assertTrue(ReportFormat.markdown(r).contains("| Raw | `where()` | 3 | raw address & reinterpret | **MISSING** |"));
    // 15 of 17 lines: far past the target, which the share test would reject.
    assertFalse(r.withinTarget());
    assertTrue(ReportFormat.markdown(r).contains("Target: at most 3.00 % — **exceeded**: `./panamax test` fails."),
        ReportFormat.markdown(r));
  }
}
