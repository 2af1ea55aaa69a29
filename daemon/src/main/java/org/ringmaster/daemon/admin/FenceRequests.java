package org.ringmaster.daemon.admin;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ringmaster.crm.api.fencing.FenceAction;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.daemon.node.ClusterNode;
import org.ringmaster.daemon.node.FencerHost;
import org.ringmaster.fencing.FenceAttempt;
import org.ringmaster.fencing.FenceHistoryEntry;
import org.ringmaster.fencing.FencingLevel;

/**
 * The admin socket's {@code fence} request (see {@link Protocol}): history, an admin's fencing, manual
 * confirmation, device tests and the device list, answered from the node's {@link FencerHost}. Waits happen on the
 * session's own thread; the fencer never blocks on a client.
 */
final class FenceRequests {

    /** Longest wait a client may ask for (the fencer's own operation timeout ends the operation anyway). */
    static final long MAX_WAIT_MS = TimeUnit.MINUTES.toMillis(30);
    /** How long a device test or list may take before the session answers that it did not. */
    private static final long DEVICE_WAIT_MS = TimeUnit.MINUTES.toMillis(5);

    private FenceRequests() {
    }

    /** @return null on success (lines in {@code reply}), else the error text */
    static String handle(ClusterNode node, String[] words, List<String> reply) {
        Optional<FencerHost> fencer = node.fencing();
        if (fencer.isEmpty()) {
            return "no fencer runs on this node (the configuration has no fencing section)";
        }
        FencerHost f = fencer.get();
        String sub = words.length > 1 ? words[1] : "";
        return switch (sub) {
            case "history" -> words.length > 3 ? "usage: fence history [NODE]"
                    : history(f, words.length == 3 ? words[2] : null, reply);
            case "request" -> words.length != 5 ? "usage: fence request NODE off|reboot WAIT_MS" : request(f, words, reply);
            case "confirm" -> words.length != 4 ? "usage: fence confirm NODE WAIT_MS" : confirm(f, words, reply);
            case "test" -> words.length != 3 ? "usage: fence test DEVICE" : test(f, words[2], reply);
            case "devices" -> words.length != 2 ? "usage: fence devices" : devices(f, reply);
            default -> "usage: fence history|request|confirm|test|devices ...";
        };
    }

    private static String history(FencerHost f, String target, List<String> reply) {
        List<FenceHistoryEntry> h = await(f.history(), 10_000);
        for (FenceHistoryEntry e : h) {
            if (target == null || e.result().target().equals(target)) {
                entry(e, reply);
            }
        }
        return null;
    }

    private static String request(FencerHost f, String[] w, List<String> reply) {
        FenceAction action = switch (w[3]) {
            case "off" -> FenceAction.OFF;
            case "reboot" -> FenceAction.REBOOT;
            default -> null;
        };
        if (action == null) {
            return "fence action must be off or reboot, not '" + w[3] + "'";
        }
        Long wait = waitMs(w[4]);
        if (wait == null) {
            return "wait must be 0.." + MAX_WAIT_MS + " ms, not '" + w[4] + "'";
        }
        return result(f, f.fence(w[2], action), w[2], wait, reply);
    }

    private static String confirm(FencerHost f, String[] w, List<String> reply) {
        Long wait = waitMs(w[3]);
        if (wait == null) {
            return "wait must be 0.." + MAX_WAIT_MS + " ms, not '" + w[3] + "'";
        }
        return result(f, f.confirm(w[2]), w[2], wait, reply);
    }

    private static String result(FencerHost f, CompletableFuture<FenceResult> pending, String target, long wait,
                                 List<String> reply) {
        FenceResult r;
        try {
            r = pending.get(wait, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reply.add("pending " + target);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause().getMessage());
        }
        // The history holds the device attempts of the result (when it was learnt from the ring).
        FenceHistoryEntry full = await(f.history(), 10_000).stream()
                .filter(e -> e.result().operationId() == r.operationId() && e.result().target().equals(r.target()))
                .reduce((a, b) -> b).orElse(new FenceHistoryEntry(r, List.of()));
        entry(full, reply);
        return null;
    }

    private static String test(FencerHost f, String device, List<String> reply) {
        FencerHost.DeviceCheck c;
        try {
            c = f.test(device).get(DEVICE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause().getMessage());
        } catch (TimeoutException e) {
            return "device " + device + " did not answer within " + DEVICE_WAIT_MS + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        reply.add("check " + c.device() + " " + c.agent() + " " + c.action() + " " + (c.ok() ? "ok" : "failed") + " "
                + c.detail());
        return null;
    }

    private static String devices(FencerHost f, List<String> reply) {
        List<FencerHost.DeviceReach> devices = await(f.devices(), DEVICE_WAIT_MS);
        for (FencerHost.DeviceReach d : devices) {
            reply.add("device " + d.device().name() + " " + d.device().agent() + " " + list(d.nodes()) + " "
                    + d.note());
        }
        for (var e : f.config().topology().entrySet()) {
            for (FencingLevel l : e.getValue()) {
                reply.add("level " + e.getKey() + " " + l.index() + " " + String.join(",", l.devices()));
            }
        }
        return null;
    }

    /** {@code op ...} then one {@code attempt ...} per device run (format in {@link Protocol}). */
    private static void entry(FenceHistoryEntry e, List<String> reply) {
        FenceResult r = e.result();
        reply.add("op " + r.operationId() + " " + r.target() + " " + r.action().agentName() + " "
                + r.status().name().toLowerCase(Locale.ROOT) + " " + r.origin() + " " + dash(r.executor()) + " "
                + dash(r.device()) + " " + r.completedAt().toEpochMilli() + " " + r.detail());
        for (FenceAttempt a : e.attempts()) {
            reply.add("attempt " + a.level() + " " + a.device() + " " + a.action() + " "
                    + (a.succeeded() ? "ok" : "failed") + " " + a.detail());
        }
    }

    private static String dash(String s) {
        return s.isEmpty() ? "-" : s;
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "-" : String.join(",", items);
    }

    private static Long waitMs(String text) {
        try {
            long v = Long.parseLong(text);
            return v < 0 || v > MAX_WAIT_MS ? null : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static <T> T await(CompletableFuture<T> f, long ms) {
        try {
            return f.get(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the fencer did not answer within " + ms + " ms", e);
        }
    }
}
