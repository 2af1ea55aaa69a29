package org.ringmaster.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Renders charts from canned results (no benchmark run) and checks the PNGs. */
@Timeout(60)
class ResultChartTest
{
    @TempDir
    Path dir;

    private static BufferedImage readPng(final Path png) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a);
        final BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(ResultChart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(ResultChart.HEIGHT);
        return image;
    }

    /** A drawn chart has many colours (axes, labels, series); a blank or failed one has one or two. */
    private static int colours(final BufferedImage image)
    {
        final Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2)
        {
            for (int x = 0; x < image.getWidth(); x += 2)
            {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }

    /** Whether some pixel in the given half has a saturated red, JFreeChart's first series colour. */
    private static boolean hasSeriesColour(final BufferedImage image, final int fromX, final int toX)
    {
        for (int y = 0; y < image.getHeight(); y++)
        {
            for (int x = fromX; x < toX; x++)
            {
                final int rgb = image.getRGB(x, y);
                final int r = (rgb >> 16) & 0xff;
                final int g = (rgb >> 8) & 0xff;
                final int b = rgb & 0xff;
                if (r > 200 && g < 120 && b < 120)
                {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aSweepIsDrawnAsTwoChartsWithTheirSeries() throws IOException
    {
        final Path png = dir.resolve("charts/sweep.png");
        ResultChart.sweep(png, "all sending, flat out", List.of(
            new ResultChart.Point("ringmaster, 3 nodes", 64, 310_000, 900),
            new ResultChart.Point("ringmaster, 3 nodes", 256, 200_000, 1_200),
            new ResultChart.Point("ringmaster, 3 nodes", 1024, 95_000, 2_000),
            new ResultChart.Point("ringmaster, 3 nodes", 4096, 30_000, 5_000),
            new ResultChart.Point("ringmaster, 5 nodes", 64, 250_000, 1_500),
            new ResultChart.Point("ringmaster, 5 nodes", 4096, 20_000, 9_000),
            // A failed run (-1) is left out rather than breaking the log axes.
            new ResultChart.Point("ringmaster, 5 nodes", 1024, -1, -1)));

        final BufferedImage image = readPng(png);
        assertThat(colours(image)).isGreaterThan(20);
        assertThat(hasSeriesColour(image, 0, ResultChart.WIDTH / 2)).as("throughput lines").isTrue();
        assertThat(hasSeriesColour(image, ResultChart.WIDTH / 2, ResultChart.WIDTH)).as("latency lines").isTrue();
    }

    @Test
    void aCompareIsDrawnAsBarsPerSystem() throws IOException
    {
        final Path png = dir.resolve("compare.png");
        ResultChart.compare(png, "3 nodes, 1024 B", List.of(
            new ResultChart.Bar("all sending, flat out", "ringmaster", 120_000, -1),
            new ResultChart.Bar("1 sender, flat out", "ringmaster", 110_000, -1),
            new ResultChart.Bar("1 sender at 1000 msgs/s", "ringmaster", -1, 180),
            new ResultChart.Bar("all sending, flat out", "jgroups", 40_000, -1),
            new ResultChart.Bar("1 sender, flat out", "jgroups", 90_000, -1),
            new ResultChart.Bar("1 sender at 1000 msgs/s", "jgroups", -1, 600)));

        final BufferedImage image = readPng(png);
        assertThat(colours(image)).isGreaterThan(20);
        assertThat(hasSeriesColour(image, 0, ResultChart.WIDTH / 2)).as("throughput bars").isTrue();
        assertThat(hasSeriesColour(image, ResultChart.WIDTH / 2, ResultChart.WIDTH)).as("latency bars").isTrue();
    }

    @Test
    void resultLinesAreReadBack()
    {
        final List<String> lines = List.of(
            "{\"system\":\"ringmaster\",\"node\":1,\"msgs_per_s\":1000,\"p99_us\":250.5,\"order_hash\":\"ab\"}",
            "{\"system\":\"ringmaster\",\"node\":2,\"msgs_per_s\":3000,\"p99_us\":99.0,\"order_hash\":\"ab\"}",
            "not a result");
        assertThat(ResultLines.mean(lines, "msgs_per_s")).isEqualTo(2000.0);
        assertThat(ResultLines.max(lines, "p99_us")).isEqualTo(250.5);
        assertThat(ResultLines.number(lines.get(0), "absent")).isNaN();
        assertThat(ResultLines.orMinusOne(ResultLines.mean(List.of(), "msgs_per_s"))).isEqualTo(-1.0);
    }
}
