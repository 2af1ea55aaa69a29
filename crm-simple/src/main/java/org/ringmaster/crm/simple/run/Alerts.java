package org.ringmaster.crm.simple.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured alert agent on cluster events, with the event in the environment the way Pacemaker's
 * alert agents expect it ({@code CRM_alert_kind}, {@code CRM_alert_node}, {@code CRM_alert_rsc},
 * {@code CRM_alert_task}, {@code CRM_alert_rc}, {@code CRM_alert_desc}, {@code CRM_alert_recipient},
 * {@code CRM_alert_timestamp}, ...), so existing alert scripts work. Agents run one at a time on a small
 * daemon thread with a bounded queue; one that outlives the timeout is killed with its children; a failing
 * or hanging agent, or a full queue, only costs a log line: alerts never block the cluster.
 */
final class Alerts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private final Path program;
    private final Duration timeout;
    private final String recipient;
    private final ThreadPoolExecutor runner;
    private final AtomicLong sequence = new AtomicLong();

    /** @param program the alert agent, or null for none (then {@link #fire} does nothing). */
    Alerts(Path program, Duration timeout, String recipient) {
        this.program = program;
        this.timeout = timeout;
        this.recipient = recipient;
        this.runner = program == null ? null : new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(256), r -> {
                    Thread t = new Thread(r, "crm-alerts");
                    t.setDaemon(true);
                    return t;
                }, (r, pool) -> LOG.warn("alert queue full: an alert was dropped"));
    }

    /** A node joined ({@code member}) or was lost ({@code lost}). */
    void node(String node, int nodeId, String desc) {
        fire(Map.of("CRM_alert_kind", "node", "CRM_alert_node", node, "CRM_alert_nodeid", Integer.toString(nodeId),
                "CRM_alert_desc", desc));
    }

    /** An operation finished on {@code node}. */
    void resource(String node, String rsc, String task, long intervalMs, int rc, int targetRc, String desc) {
        fire(Map.of("CRM_alert_kind", "resource", "CRM_alert_node", node, "CRM_alert_rsc", rsc, "CRM_alert_task", task,
                "CRM_alert_interval", Long.toString(intervalMs), "CRM_alert_rc", Integer.toString(rc),
                "CRM_alert_target_rc", Integer.toString(targetRc), "CRM_alert_status", rc == targetRc ? "0" : "1",
                "CRM_alert_desc", desc));
    }

    /** A fencing operation against {@code target} ended. */
    void fencing(String target, String task, boolean ok, String desc) {
        fire(Map.of("CRM_alert_kind", "fencing", "CRM_alert_node", target, "CRM_alert_task", task,
                "CRM_alert_rc", ok ? "0" : "1", "CRM_alert_desc", desc));
    }

    private void fire(Map<String, String> event) {
        if (runner == null) {
            return;
        }
        Map<String, String> env = new TreeMap<>(event);
        Instant now = Instant.now();
        env.put("CRM_alert_version", "2.1.0");
        env.put("CRM_alert_recipient", recipient);
        env.put("CRM_alert_node_sequence", Long.toString(sequence.incrementAndGet()));
        env.put("CRM_alert_timestamp", TIMESTAMP.format(now));
        env.put("CRM_alert_timestamp_epoch", Long.toString(now.getEpochSecond()));
        env.put("CRM_alert_timestamp_usec", Long.toString(now.getNano() / 1000));
        runner.execute(() -> run(env));
    }

    private void run(Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(program.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                LOG.warn("alert {} ({} {}) killed after {} ms", program, env.get("CRM_alert_kind"),
                        env.get("CRM_alert_desc"), timeout.toMillis());
                return;
            }
            if (p.exitValue() != 0) {
                LOG.warn("alert {} ({} {}) exited with {}", program, env.get("CRM_alert_kind"),
                        env.get("CRM_alert_desc"), p.exitValue());
            }
        } catch (IOException e) {
            LOG.warn("alert {} cannot run: {}", program, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking alerts; one running is left to finish or time out. */
    @Override
    public void close() {
        if (runner != null) {
            runner.shutdown();
        }
    }
}
