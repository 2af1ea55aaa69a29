package org.ringmaster.perf;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG charts of benchmark results, drawn headless: throughput on the left, p99 latency on the
 * right, one image per run so a user can look instead of read.
 */
final class ResultChart
{
    static final int WIDTH = 1400;
    static final int HEIGHT = 560;

    /** One bar pair of a compare run: a sender mode (or the fixed-rate run) for one system. */
    record Bar(String category, String system, double msgsPerS, double p99Us)
    {
    }

    /** One point of a sweep: a series (system and node count) at one message size. */
    record Point(String series, int size, double msgsPerS, double p99Us)
    {
    }

    private ResultChart()
    {
    }

    /** Throughput by sender mode and p99 by run, one bar per system. */
    static void compare(final Path png, final String title, final List<Bar> bars) throws IOException
    {
        final DefaultCategoryDataset rates = new DefaultCategoryDataset();
        final DefaultCategoryDataset latencies = new DefaultCategoryDataset();
        for (final Bar b : bars)
        {
            if (b.msgsPerS() >= 0)
            {
                rates.addValue(b.msgsPerS(), b.system(), b.category());
            }
            if (b.p99Us() >= 0)
            {
                latencies.addValue(b.p99Us(), b.system(), b.category());
            }
        }
        final JFreeChart left = ChartFactory.createBarChart(title + ": throughput", null, "msgs/s per receiver", rates,
            PlotOrientation.VERTICAL, true, false, false);
        final JFreeChart right = ChartFactory.createBarChart(title + ": p99 latency", null, "p99 (µs)", latencies,
            PlotOrientation.VERTICAL, true, false, false);
        for (final JFreeChart chart : List.of(left, right))
        {
            final CategoryPlot plot = (CategoryPlot)chart.getPlot();
            ((NumberAxis)plot.getRangeAxis()).setNumberFormatOverride(new DecimalFormat("#,##0"));
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
        write(png, left, right);
    }

    /** Throughput and p99 against message size (log scale), one line per series. */
    static void sweep(final Path png, final String title, final List<Point> points) throws IOException
    {
        final Map<String, XYSeries> rates = new LinkedHashMap<>();
        final Map<String, XYSeries> latencies = new LinkedHashMap<>();
        for (final Point p : points)
        {
            if (p.msgsPerS() > 0)
            {
                rates.computeIfAbsent(p.series(), XYSeries::new).add(p.size(), p.msgsPerS());
            }
            if (p.p99Us() > 0)
            {
                latencies.computeIfAbsent(p.series(), XYSeries::new).add(p.size(), p.p99Us());
            }
        }
        final JFreeChart left = lineChart(title + ": throughput", "msgs/s per receiver", rates, false);
        final JFreeChart right = lineChart(title + ": p99 latency", "p99 (µs, log scale)", latencies, true);
        write(png, left, right);
    }

    private static JFreeChart lineChart(final String title, final String yLabel, final Map<String, XYSeries> series,
        final boolean logY)
    {
        final XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        final JFreeChart chart = ChartFactory.createXYLineChart(title, "message size (bytes)", yLabel, data,
            PlotOrientation.VERTICAL, true, false, false);
        final XYPlot plot = chart.getXYPlot();
        final LogAxis size = new LogAxis("message size (bytes, log scale)");
        size.setBase(2);
        size.setNumberFormatOverride(new DecimalFormat("0"));
        size.setSmallestValue(1);
        // One tick per power of two: the sizes a sweep uses.
        size.setTickUnit(new NumberTickUnit(1));
        plot.setDomainAxis(size);
        if (logY)
        {
            final LogAxis y = new LogAxis(yLabel);
            y.setBase(10);
            y.setSmallestValue(1);
            y.setNumberFormatOverride(new DecimalFormat("#,##0"));
            plot.setRangeAxis(y);
        }
        else
        {
            ((NumberAxis)plot.getRangeAxis()).setNumberFormatOverride(new DecimalFormat("#,##0"));
        }
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    private static void write(final Path png, final JFreeChart left, final JFreeChart right) throws IOException
    {
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            left.draw(g, new Rectangle2D.Double(0, 0, WIDTH / 2.0, HEIGHT));
            right.draw(g, new Rectangle2D.Double(WIDTH / 2.0, 0, WIDTH / 2.0, HEIGHT));
        }
        finally
        {
            g.dispose();
        }
        final Path parent = png.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", png.toFile()))
        {
            throw new IOException("no PNG writer for " + png);
        }
    }

    static
    {
        // Charts are drawn into an image, never a window: no display is needed (or wanted) on a server.
        System.setProperty("java.awt.headless", "true");
    }
}
