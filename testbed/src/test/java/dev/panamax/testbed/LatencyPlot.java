package dev.panamax.testbed;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
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
import javax.imageio.ImageIO;

/**
 * Draws round-trip-time percentile curves (PNG) from the CSV that {@code
 * testbed/scenarios/bridge.sh --rounds N} measurements are kept in: lines {@code
 * forwarder,round,percentile,usec}. One curve per forwarder and round, one colour per forwarder;
 * the x axis spreads the tail ({@code -log10(1 - p/100)}: 0 %, 90 %, 99 %, 99.9 %, 99.99 %), the y
 * axis is logarithmic. Plain Java 2D, no dependency.
 *
 * <pre>
 * java -cp testbed/target/test-classes dev.panamax.testbed.LatencyPlot CSV PNG [TITLE]
 * </pre>
 */
public final class LatencyPlot {
  static final int WIDTH = 900;
  static final int HEIGHT = 560;
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;
  /** Where the 100th percentile (the maximum) is drawn: -log10(1 - 0.99999). */
  private static final double MAX_X = 5;
  /** Colours of the forwarders in the order they first appear in the CSV. */
  static final Color[] COLOURS = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C),
      new Color(0x9467BD), new Color(0xFF7F0E)};

  private LatencyPlot() {}

  /** One measured point: a percentile and its round-trip time. */
  record Point(double percentile, double usec) {}

  /**
   * Reads the CSV and writes the PNG.
   *
   * @param args CSV file, PNG file, optional title
   * @throws IOException when a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: LatencyPlot CSV PNG [TITLE]");
      System.exit(2);
    }
    final String title = args.length > 2 ? args[2] : "Round-trip time percentiles";
    final BufferedImage image = draw(read(Path.of(args[0])), title);
    ImageIO.write(image, "png", Path.of(args[1]).toFile());
  }

  /** Curves keyed by forwarder, then round, in file order. */
  static Map<String, Map<String, List<Point>>> read(Path csv) throws IOException {
    final Map<String, Map<String, List<Point>>> curves = new LinkedHashMap<>();
    for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
      final String[] f = line.strip().split(",");
      if (f.length != 4 || f[0].equals("forwarder")) {
        continue;
      }
      curves.computeIfAbsent(f[0], k -> new LinkedHashMap<>())
          .computeIfAbsent(f[1], k -> new ArrayList<>())
          .add(new Point(Double.parseDouble(f[2]), Double.parseDouble(f[3])));
    }
    if (curves.isEmpty()) {
      throw new IOException(csv + ": no line forwarder,round,percentile,usec");
    }
    return curves;
  }

  static double x(double percentile) {
    return percentile >= 100 ? MAX_X : Math.min(MAX_X, -Math.log10(1 - percentile / 100));
  }

  /**
   * Starts drawing on a chart image: antialiased shapes and text, a white background, the
   * labels' font. Shared with {@link SweepPlot}.
   */
  static Graphics2D canvas(BufferedImage image) {
    final Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    return g;
  }

  /** Draws the curves. */
  static BufferedImage draw(Map<String, Map<String, List<Point>>> curves, String title) {
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (Map<String, List<Point>> rounds : curves.values()) {
      for (List<Point> points : rounds.values()) {
        for (Point p : points) {
          lo = Math.min(lo, p.usec());
          hi = Math.max(hi, p.usec());
        }
      }
    }
    final double yLo = Math.floor(Math.log10(Math.max(lo, 1e-3)));
    final double yHi = Math.max(yLo + 1, Math.ceil(Math.log10(Math.max(hi, 1e-3))));
    final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    final Graphics2D g = canvas(image);
    final int w = WIDTH - LEFT - RIGHT;
    final int h = HEIGHT - TOP - BOTTOM;
    // Grid and axis labels.
    final String[] xLabels = {"0", "90", "99", "99.9", "99.99", "max"};
    for (int i = 0; i <= MAX_X; i++) {
      final int px = LEFT + (int) Math.round(i / MAX_X * w);
      g.setColor(new Color(0xDDDDDD));
      g.drawLine(px, TOP, px, TOP + h);
      g.setColor(Color.BLACK);
      g.drawString(xLabels[i], px - g.getFontMetrics().stringWidth(xLabels[i]) / 2, TOP + h + 18);
    }
    for (double e = yLo; e <= yHi + 1e-9; e++) {
      for (int m : new int[] {1, 2, 5}) {
        final double v = m * Math.pow(10, e);
        final double ly = Math.log10(v);
        if (ly > yHi + 1e-9) {
          break;
        }
        final int py = TOP + h - (int) Math.round((ly - yLo) / (yHi - yLo) * h);
        g.setColor(m == 1 ? new Color(0xBBBBBB) : new Color(0xEEEEEE));
        g.drawLine(LEFT, py, LEFT + w, py);
        g.setColor(Color.BLACK);
        final String label = v >= 1 ? String.format(Locale.ROOT, "%.0f", v)
            : String.format(Locale.ROOT, "%.3g", v);
        g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 5);
      }
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, w, h);
    g.drawString("percentile (%)", LEFT + w / 2 - 40, HEIGHT - 18);
    g.rotate(-Math.PI / 2);
    g.drawString("round-trip time (µs, log scale)", -(TOP + h / 2 + 90), 22);
    g.rotate(Math.PI / 2);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, LEFT, 30);
    // Curves and legend.
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    int colour = 0;
    int legendY = TOP + 20;
    for (Map.Entry<String, Map<String, List<Point>>> forwarder : curves.entrySet()) {
      final Color c = COLOURS[colour++ % COLOURS.length];
      g.setColor(c);
      g.setStroke(new BasicStroke(2f));
      for (List<Point> points : forwarder.getValue().values()) {
        final Path2D path = new Path2D.Double();
        boolean first = true;
        for (Point p : points) {
          final double px = LEFT + x(p.percentile()) / MAX_X * w;
          final double py = TOP + h - (Math.log10(Math.max(p.usec(), 1e-3)) - yLo) / (yHi - yLo) * h;
          if (first) {
            path.moveTo(px, py);
            first = false;
          } else {
            path.lineTo(px, py);
          }
        }
        g.draw(path);
      }
      g.fillRect(LEFT + 15, legendY - 10, 22, 10);
      g.setColor(Color.BLACK);
      g.drawString(forwarder.getKey() + " (" + forwarder.getValue().size() + " rounds)",
          LEFT + 45, legendY);
      legendY += 20;
    }
    g.dispose();
    return image;
  }
}
