package dev.panamax.testbed;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * Draws rate-against-parameter charts (PNG) from the CSV that {@code testbed/scenarios/sweep.sh}
 * and the JMH batch sweep are kept in: a header line, then lines {@code
 * nic,mode,param,value,program,pooled_pps,steady_pps}. One chart per nic, mode and param, named
 * {@code sweep-NIC-MODE-PARAM.png}; one colour per program (Panamax red, DPDK blue), the steady
 * rate solid with dots, the pooled rate (warm-up included) dashed; a program whose pooled and
 * steady rates are equal everywhere (JMH, measured after its warm-up) gets the solid line only. Batch sizes are spread on a
 * log2 axis, frame sizes on a linear one. Plain Java 2D, no dependency; the build runs it on
 * {@code docs/data/sweeps.csv} (testbed/pom.xml) so the images in docs/ always show the data
 * next to them.
 *
 * <pre>
 * java -cp testbed/target/test-classes dev.panamax.testbed.SweepPlot CSV DIR
 * </pre>
 */
public final class SweepPlot {
  static final int WIDTH = 900;
  static final int HEIGHT = 520;
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;
  static final Color PANAMAX = new Color(0xD62728);
  static final Color DPDK = new Color(0x1F77B4);
  static final String HEADER = "nic,mode,param,value,program,pooled_pps,steady_pps";

  private SweepPlot() {}

  /** One measured point. */
  record Row(String nic, String mode, String param, double value, String program, double pooled,
      double steady) {}

  /**
   * Reads the CSV and writes one PNG per chart into the directory.
   *
   * @param args CSV file, output directory
   * @throws IOException when a file cannot be read or written, or the CSV is malformed
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: SweepPlot CSV DIR");
      System.exit(2);
    }
    final Path dir = Path.of(args[1]);
    Files.createDirectories(dir);
    for (Map.Entry<String, List<Row>> chart : charts(read(Path.of(args[0]))).entrySet()) {
      final Path png = dir.resolve("sweep-" + chart.getKey() + ".png");
      ImageIO.write(draw(chart.getValue()), "png", png.toFile());
      System.out.println("SweepPlot: " + png + " (" + chart.getValue().size() + " points)");
    }
  }

  /** Reads the rows; a line that is not the header and has not 7 fields is an error. */
  static List<Row> read(Path csv) throws IOException {
    final List<Row> rows = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
      n++;
      if (line.isBlank() || line.strip().equals(HEADER)) {
        continue;
      }
      final String[] f = line.strip().split(",");
      try {
        if (f.length != 7) {
          throw new NumberFormatException("7 fields expected");
        }
        rows.add(new Row(f[0], f[1], f[2], Double.parseDouble(f[3]), f[4],
            Double.parseDouble(f[5]), Double.parseDouble(f[6])));
      } catch (NumberFormatException e) {
        throw new IOException(csv + " line " + n + ": not " + HEADER + ": " + line, e);
      }
    }
    if (rows.isEmpty()) {
      throw new IOException(csv + ": no data line " + HEADER);
    }
    return rows;
  }

  /** Rows grouped by chart ({@code nic-mode-param}), in file order. */
  static Map<String, List<Row>> charts(List<Row> rows) {
    final Map<String, List<Row>> charts = new LinkedHashMap<>();
    for (Row r : rows) {
      charts.computeIfAbsent(r.nic() + "-" + r.mode() + "-" + r.param(), k -> new ArrayList<>())
          .add(r);
    }
    return charts;
  }

  static Color colour(String program) {
    return program.equals("dpdk") ? DPDK : PANAMAX;
  }

  /** Draws one chart. */
  static BufferedImage draw(List<Row> rows) {
    final Row first = rows.get(0);
    final boolean log = first.param().equals("batch");
    final TreeSet<Double> xs = new TreeSet<>();
    double hi = 0;
    for (Row r : rows) {
      xs.add(r.value());
      hi = Math.max(hi, Math.max(r.pooled(), r.steady()));
    }
    final double xLo = log ? Math.log(xs.first()) / Math.log(2) : 0;
    final double xHi = Math.max(xLo + 1, log ? Math.log(xs.last()) / Math.log(2) : xs.last());
    final double yHi = niceCeiling(hi / 1e6);
    final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    final Graphics2D g = LatencyPlot.canvas(image);
    final int w = WIDTH - LEFT - RIGHT;
    final int h = HEIGHT - TOP - BOTTOM;
    for (double x : xs) {
      final int px = (int) Math.round(px(x, log, xLo, xHi, w));
      g.setColor(new Color(0xDDDDDD));
      g.drawLine(px, TOP, px, TOP + h);
      g.setColor(Color.BLACK);
      final String label = String.format(Locale.ROOT, "%.0f", x);
      g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, TOP + h + 18);
    }
    for (int i = 0; i <= 5; i++) {
      final double v = yHi * i / 5;
      final int py = TOP + h - (int) Math.round(v / yHi * h);
      g.setColor(new Color(0xDDDDDD));
      g.drawLine(LEFT, py, LEFT + w, py);
      g.setColor(Color.BLACK);
      final String label = String.format(Locale.ROOT, yHi >= 10 ? "%.0f" : yHi >= 1 ? "%.1f" : "%.2f", v);
      g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 5);
    }
    g.drawRect(LEFT, TOP, w, h);
    final String xName = log ? "batch / burst (packets, log scale)" : "frame size (bytes, without CRC)";
    g.drawString(xName, LEFT + w / 2 - g.getFontMetrics().stringWidth(xName) / 2, HEIGHT - 18);
    g.rotate(-Math.PI / 2);
    g.drawString("Mpps", -(TOP + h / 2 + 15), 22);
    g.rotate(Math.PI / 2);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(first.mode() + " on " + first.nic() + ": rate against " + first.param(), LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    final Map<String, List<Row>> byProgram = new LinkedHashMap<>();
    for (Row r : rows) {
      byProgram.computeIfAbsent(r.program(), k -> new ArrayList<>()).add(r);
    }
    int legendY = TOP + 20;
    for (Map.Entry<String, List<Row>> program : byProgram.entrySet()) {
      final List<Row> points = new ArrayList<>(program.getValue());
      points.sort((a, b) -> Double.compare(a.value(), b.value()));
      final Color c = colour(program.getKey());
      // A JMH point has one rate (pooled = steady): one solid line, no dashed twin.
      boolean warmUpShows = false;
      for (Row p : points) {
        warmUpShows |= p.pooled() != p.steady();
      }
      for (boolean steady : warmUpShows ? new boolean[] {true, false} : new boolean[] {true}) {
        final Path2D path = new Path2D.Double();
        for (int i = 0; i < points.size(); i++) {
          final Row p = points.get(i);
          final double px = px(p.value(), log, xLo, xHi, w);
          final double py = TOP + h - (steady ? p.steady() : p.pooled()) / 1e6 / yHi * h;
          if (i == 0) {
            path.moveTo(px, py);
          } else {
            path.lineTo(px, py);
          }
          if (steady) {
            g.setColor(c);
            g.fill(new Ellipse2D.Double(px - 4, py - 4, 8, 8));
          }
        }
        g.setColor(c);
        g.setStroke(steady ? new BasicStroke(2.5f) : new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
            BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f}, 0f));
        g.draw(path);
        g.drawLine(LEFT + 15, legendY - 5, LEFT + 45, legendY - 5);
        g.setColor(Color.BLACK);
        g.drawString(program.getKey() + (!warmUpShows ? ", after warm-up (JMH)"
            : steady ? ", steady (second half of each run)"
            : ", pooled (whole runs, warm-up included)"), LEFT + 55, legendY);
        legendY += 20;
      }
    }
    g.dispose();
    return image;
  }

  private static double px(double x, boolean log, double lo, double hi, int w) {
    final double v = log ? Math.log(x) / Math.log(2) : x;
    return LEFT + (v - lo) / (hi - lo) * w;
  }

  /** The next of 1, 2, 2.5, 5 times a power of ten at or above {@code v} (at least 0.01). */
  static double niceCeiling(double v) {
    final double base = Math.pow(10, Math.floor(Math.log10(Math.max(v, 0.01))));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * base >= v) {
        return m * base;
      }
    }
    return 10 * base;
  }
}
