package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latency plot tool reads the scenario's CSV and draws every curve in its colour. */
class LatencyPlotTest {
  @TempDir Path dir;

  @Test
  void readsEveryCurveAndDrawsEachForwarderInItsColour() throws Exception {
    final Path csv = dir.resolve("latency.csv");
    Files.writeString(csv, """
        forwarder,round,percentile,usec
        a,1,0,100
        a,1,50,150
        a,1,99,900
        a,1,100,2000
        a,2,0,110
        a,2,100,2100
        b,1,0,300
        b,1,50,400
        b,1,100,5000
        """, StandardCharsets.UTF_8);
    final Map<String, Map<String, List<LatencyPlot.Point>>> curves = LatencyPlot.read(csv);
    assertEquals(List.of("a", "b"), List.copyOf(curves.keySet()));
    assertEquals(List.of("1", "2"), List.copyOf(curves.get("a").keySet()));
    assertEquals(new LatencyPlot.Point(99, 900), curves.get("a").get("1").get(2));

    final Path png = dir.resolve("latency.png");
    LatencyPlot.main(new String[] {csv.toString(), png.toString(), "test"});
    final BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(LatencyPlot.WIDTH, image.getWidth());
    assertEquals(LatencyPlot.HEIGHT, image.getHeight());
    assertTrue(pixels(image, LatencyPlot.COLOURS[0].getRGB()) > 100, "curve a drawn");
    assertTrue(pixels(image, LatencyPlot.COLOURS[1].getRGB()) > 100, "curve b drawn");
    assertEquals(0, pixels(image, LatencyPlot.COLOURS[2].getRGB()), "no third forwarder");
  }

  @Test
  void thePercentileAxisSpreadsTheTail() {
    assertEquals(0, LatencyPlot.x(0), 1e-9);
    assertEquals(1, LatencyPlot.x(90), 1e-9);
    assertEquals(3, LatencyPlot.x(99.9), 1e-9);
    assertEquals(5, LatencyPlot.x(100), 1e-9);
  }

  /** Counts the pixels of one colour (shared with SweepPlotTest). */
  static int pixels(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        n += (image.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF) ? 1 : 0;
      }
    }
    return n;
  }
}
