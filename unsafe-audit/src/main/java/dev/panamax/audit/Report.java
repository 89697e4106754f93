package dev.panamax.audit;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The audit's figures for one source tree.
 *
 * @param packages code lines per module and package
 * @param members the unsafe package's members, in file order
 * @param unsafeLines code lines of the unsafe package
 * @param totalLines code lines of every package counted in the share
 */
public record Report(
    List<PackageStats> packages, List<Member> members, int unsafeLines, int totalLines) {

  /** A published figure of another driver, to compare with. */
  public record Seed(String driver, String language, String unsafeLines, String totalLines, String share) {}

  /** The seeds' table: ixy.rs, Redox e1000 and rtl8168. */
  public static final List<Seed> SEEDS =
      List.of(
          new Seed("ixy.rs (ixgbe, virtio)", "Rust", "125", "1306", "9.57 %"),
          new Seed("Redox e1000", "Rust", "—", "—", "35.62 %"),
          new Seed("Redox rtl8168", "Rust", "—", "—", "39.78 %"));

  /**
   * Scans the main sources under a repository root.
   *
   * @param root the repository root
   * @return the figures
   */
  public static Report scan(Path root) {
    SourceScanner.Result r = SourceScanner.scan(root);
    String unsafe = AuditConfig.unsafePackage();
    int unsafeLines = 0;
    int total = 0;
    for (PackageStats p : r.packages()) {
      if (p.inShare()) {
        total += p.codeLines();
      }
      if (p.packageName().equals(unsafe) || p.packageName().startsWith(unsafe + ".")) {
        unsafeLines += p.codeLines();
      }
    }
    return new Report(r.packages(), r.members(), unsafeLines, total);
  }

  /**
   * Returns the unsafe share.
   *
   * @return unsafe lines over total lines, 0 when there is no code
   */
  public double share() {
    return totalLines == 0 ? 0 : (double) unsafeLines / totalLines;
  }

  /** The modules of the driver library itself: what an application links, without apps, tools or tests. */
  public static final List<String> LIBRARY_MODULES = List.of("api", "impl");

  /**
   * Returns the code lines of the driver library alone ({@link #LIBRARY_MODULES}).
   *
   * @return code lines of api and impl main sources
   */
  public int libraryLines() {
    int lines = 0;
    for (PackageStats p : packages) {
      if (p.inShare() && LIBRARY_MODULES.contains(p.module())) {
        lines += p.codeLines();
      }
    }
    return lines;
  }

  /**
   * Returns the unsafe share of the driver library alone: unsafe lines over {@link #libraryLines()}.
   *
   * @return the share, 0 when there is no code
   */
  public double libraryShare() {
    final int lines = libraryLines();
    return lines == 0 ? 0 : (double) unsafeLines / lines;
  }

  /**
   * Tells whether the share is at most {@link AuditConfig#MAX_SHARE}.
   *
   * @return {@code true} within the target
   */
  public boolean withinTarget() {
    return share() <= AuditConfig.MAX_SHARE;
  }

  /**
   * Returns the code lines per category (every category present, in declaration order).
   *
   * @return lines by category
   */
  public Map<Category, Integer> linesByCategory() {
    Map<Category, Integer> m = new EnumMap<>(Category.class);
    for (Category c : Category.values()) {
      m.put(c, 0);
    }
    for (Member member : members) {
      m.merge(member.category(), member.codeLines(), Integer::sum);
    }
    return m;
  }

  /**
   * Returns the members per category (declarations rows count once per file).
   *
   * @return member count by category
   */
  public Map<Category, Integer> membersByCategory() {
    Map<Category, Integer> m = new EnumMap<>(Category.class);
    for (Category c : Category.values()) {
      m.put(c, 0);
    }
    for (Member member : members) {
      m.merge(member.category(), 1, Integer::sum);
    }
    return m;
  }

  /**
   * Returns the hazard methods without a soundness sentence.
   *
   * @return members the report marks MISSING
   */
  public List<Member> missingSoundness() {
    return members.stream().filter(Member::missingSoundness).toList();
  }
}
