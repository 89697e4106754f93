package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep plot tool reads the sweeps' CSV, draws one chart per NIC, mode and parameter with each
 * program in its colour, refuses a malformed line by number, and the charts in docs/ are the ones
 * the committed data gives, each shown in performance.md.
 */
class SweepPlotTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir Path dir;

  @Test
  void drawsOneChartPerNicModeAndParamWithEachProgramInItsColour() throws Exception {
    final Path csv = dir.resolve("sweeps.csv");
    Files.writeString(csv, SweepPlot.HEADER + """

        igb,tx,batch,1,panamax,100000,120000
        igb,tx,batch,1,dpdk,300000,310000
        igb,tx,batch,64,panamax,700000,900000
        igb,tx,batch,64,dpdk,1000000,1050000
        igb,tx,size,60,panamax,700000,900000
        igb,tx,size,1514,panamax,200000,250000
        """, StandardCharsets.UTF_8);
    final Map<String, List<SweepPlot.Row>> charts = SweepPlot.charts(SweepPlot.read(csv));
    assertEquals(List.of("igb-tx-batch", "igb-tx-size"), List.copyOf(charts.keySet()));
    assertEquals(new SweepPlot.Row("igb", "tx", "batch", 64, "dpdk", 1e6, 1.05e6),
        charts.get("igb-tx-batch").get(3));

    SweepPlot.main(new String[] {csv.toString(), dir.toString()});
    final BufferedImage batch = ImageIO.read(dir.resolve("sweep-igb-tx-batch.png").toFile());
    assertEquals(SweepPlot.WIDTH, batch.getWidth());
    assertEquals(SweepPlot.HEIGHT, batch.getHeight());
    assertTrue(LatencyPlotTest.pixels(batch, SweepPlot.PANAMAX.getRGB()) > 100, "Panamax drawn");
    assertTrue(LatencyPlotTest.pixels(batch, SweepPlot.DPDK.getRGB()) > 100, "DPDK drawn");
    final BufferedImage size = ImageIO.read(dir.resolve("sweep-igb-tx-size.png").toFile());
    assertTrue(LatencyPlotTest.pixels(size, SweepPlot.PANAMAX.getRGB()) > 100, "Panamax drawn");
    assertEquals(0, LatencyPlotTest.pixels(size, SweepPlot.DPDK.getRGB()), "no DPDK point, no DPDK line");
  }

  @Test
  void aMalformedLineIsRefusedByNumber() throws Exception {
    final Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, SweepPlot.HEADER + "\nigb,tx,batch,1,panamax,100\n",
        StandardCharsets.UTF_8);
    final IOException e = assertThrows(IOException.class, () -> SweepPlot.read(csv));
    assertTrue(e.getMessage().contains("bad.csv line 2"), e.getMessage());
    Files.writeString(csv, SweepPlot.HEADER + "\n", StandardCharsets.UTF_8);
    assertTrue(assertThrows(IOException.class, () -> SweepPlot.read(csv)).getMessage()
        .contains("no data line"));
  }

  @Test
  void niceCeilingsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
    assertEquals(1.0, SweepPlot.niceCeiling(0.93), 1e-12);
    assertEquals(2.0, SweepPlot.niceCeiling(1.2), 1e-12);
    assertEquals(2.5, SweepPlot.niceCeiling(2.1), 1e-12);
    assertEquals(50.0, SweepPlot.niceCeiling(31), 1e-12);
  }

  /** The images in docs/ are what the committed data draws, and performance.md shows each one. */
  @Test
  void theChartsInDocsAreTheCommittedDataAndAreShown() throws Exception {
    final Path data = ROOT.resolve("docs/data/sweeps.csv");
    final Map<String, List<SweepPlot.Row>> charts = SweepPlot.charts(SweepPlot.read(data));
    final String performance = Files.readString(ROOT.resolve("docs/performance.md"));
    for (Map.Entry<String, List<SweepPlot.Row>> chart : charts.entrySet()) {
      final String name = "sweep-" + chart.getKey() + ".png";
      final Path png = ROOT.resolve("docs/images").resolve(name);
      assertTrue(Files.exists(png), png + " missing: build with ./panamax build");
      assertArrayEquals(pixels(SweepPlot.draw(chart.getValue())), pixels(ImageIO.read(png.toFile())),
          name + " does not show docs/data/sweeps.csv: build with ./panamax build");
      assertTrue(performance.contains("](images/" + name + ")"), "performance.md shows " + name);
    }
  }

  private static int[] pixels(BufferedImage image) throws IOException {
    // Through PNG and back, so both images carry the same colour model.
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    final BufferedImage again = ImageIO.read(new java.io.ByteArrayInputStream(bytes.toByteArray()));
    return again.getRGB(0, 0, again.getWidth(), again.getHeight(), null, 0, again.getWidth());
  }
}
