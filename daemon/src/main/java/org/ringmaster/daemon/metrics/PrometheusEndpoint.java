package org.ringmaster.daemon.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.ringmaster.daemon.config.MetricsConfig;
import org.ringmaster.daemon.node.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code metrics { prometheus_port }} endpoint: {@code GET /metrics} answers the daemon's
 * meters in the Prometheus text format (0.0.4). The JDK's own HTTP server on one thread is enough
 * for a scraper every few seconds and adds no dependency. Other paths get 404, other methods 405.
 */
public final class PrometheusEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private PrometheusEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code config.bind()}:{@code config.port()}.
     *
     * @throws StartupException naming the address when it cannot be bound
     */
    public static PrometheusEndpoint start(MetricsConfig config, PrometheusMeterRegistry registry)
            throws StartupException {
        InetSocketAddress address;
        HttpServer server;
        try {
            address = new InetSocketAddress(InetAddress.getByName(config.bind()), config.port());
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new StartupException("metrics.prometheus_port: cannot listen on " + config.bind() + ":"
                    + config.port() + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ringmaster-prometheus");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, registry));
        server.start();
        LOG.info("Prometheus endpoint http://{}:{}/metrics", config.bind(), server.getAddress().getPort());
        return new PrometheusEndpoint(server, executor);
    }

    /** Where it listens (the port is the real one when 0 was asked for in tests). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void serve(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/metrics") && !path.equals("/")) {
                reply(exchange, 404, "not found: the metrics are at /metrics\n");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "only GET\n");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (RuntimeException e) {
            LOG.warn("Prometheus scrape failed", e);
        }
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
