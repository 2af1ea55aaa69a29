package org.ringmaster.fencing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.fencing.process.ChildProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured alert program once per fencing result, with the event in its environment. The variables are
 * Pacemaker's {@code CRM_alert_*} names, so existing alert scripts keep working, plus {@code RINGMASTER_FENCE_*}
 * extras. The program runs on a worker thread in its own process group and is killed at the timeout.
 *
 * <p>Environment: {@code CRM_alert_kind=fencing}, {@code CRM_alert_node} (target), {@code CRM_alert_task} (action),
 * {@code CRM_alert_rc} (0 succeeded, 1 failed, 2 refused), {@code CRM_alert_desc} (result line),
 * {@code CRM_alert_recipient}, {@code CRM_alert_timestamp}, {@code CRM_alert_version}, {@code CRM_alert_node_sequence},
 * {@code RINGMASTER_FENCE_STATUS}, {@code _ORIGIN}, {@code _EXECUTOR}, {@code _DEVICE}, {@code _OPERATION},
 * {@code _ATTEMPTS}.
 */
public final class AlertProgram implements FenceAlertSink {

    private static final Logger LOG = LoggerFactory.getLogger(AlertProgram.class);
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
        .withZone(ZoneOffset.UTC);

    private final Path program;
    private final Duration timeout;
    private final String recipient;
    private final ExecutorService workers;
    private long sequence;

    public AlertProgram(Path program, Duration timeout, String recipient, ExecutorService workers) {
        this.program = Objects.requireNonNull(program, "program");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.recipient = Objects.requireNonNull(recipient, "recipient");
        this.workers = Objects.requireNonNull(workers, "workers");
    }

    @Override
    public void onFenceEvent(FenceHistoryEntry entry) {
        Map<String, String> env = environment(entry, ++sequence);
        try {
            workers.execute(() -> run(env, entry.result()));
        } catch (RejectedExecutionException e) {
            LOG.warn("fence alert for {} not run: shutting down", entry.result());
        }
    }

    Map<String, String> environment(FenceHistoryEntry entry, long seq) {
        FenceResult r = entry.result();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("CRM_alert_kind", "fencing");
        env.put("CRM_alert_version", "ringmaster-1");
        env.put("CRM_alert_recipient", recipient);
        env.put("CRM_alert_node_sequence", Long.toString(seq));
        env.put("CRM_alert_timestamp", TS.format(r.completedAt()));
        env.put("CRM_alert_node", r.target());
        env.put("CRM_alert_task", r.action().agentName());
        env.put("CRM_alert_rc", Integer.toString(r.status().code()));
        env.put("CRM_alert_desc", r.toString());
        env.put("RINGMASTER_FENCE_STATUS", r.status().name());
        env.put("RINGMASTER_FENCE_ORIGIN", r.origin());
        env.put("RINGMASTER_FENCE_EXECUTOR", r.executor());
        env.put("RINGMASTER_FENCE_DEVICE", r.device());
        env.put("RINGMASTER_FENCE_OPERATION", Long.toString(r.operationId()));
        List<FenceAttempt> attempts = entry.attempts();
        env.put("RINGMASTER_FENCE_ATTEMPTS", attempts.stream().map(FenceAttempt::toString)
            .collect(Collectors.joining("; ")));
        return env;
    }

    private void run(Map<String, String> env, FenceResult r) {
        try {
            ChildProcess.Exit e = ChildProcess.run(List.of(program.toString()), env, new byte[0], timeout, 16 * 1024);
            if (e.timedOut()) {
                LOG.warn("fence alert {} for {} killed after {}", program, r, timeout);
            } else if (e.exitCode() != 0) {
                LOG.warn("fence alert {} for {} exited {}: {}", program, r, e.exitCode(), e.stderr().strip());
            }
        } catch (IOException e) {
            LOG.warn("fence alert {} cannot run: {}", program, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
