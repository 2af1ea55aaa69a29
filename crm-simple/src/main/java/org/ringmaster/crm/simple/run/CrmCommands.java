package org.ringmaster.crm.simple.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ringmaster.crm.simple.model.Clone;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Resource;
import org.ringmaster.crm.simple.model.Score;

/**
 * The ringctl verbs of the simple CRM, for the daemon to call with already split arguments (everything after
 * {@code ringctl}):
 * <pre>
 * resource list                       configured resources, their agent and where they run
 * resource status [RESOURCE]          every instance: where it runs, failures
 * resource failcount RESOURCE [NODE]  fail-counts per node
 * resource move RESOURCE NODE         prefer NODE (cli-prefer-RESOURCE, INFINITY)
 * resource ban RESOURCE NODE          keep off NODE (cli-ban-RESOURCE-on-NODE, -INFINITY)
 * resource clear RESOURCE             remove the move/ban constraints of RESOURCE
 * resource start|stop RESOURCE        target-role Started / Stopped
 * resource cleanup RESOURCE [NODE]    forget failures and fail-counts, probe again
 * node standby|online NODE            no resources on NODE / allow again
 * node maintenance NODE [on|off]      leave NODE's resources alone (no actions, no monitors)
 * config load FILE                    replace the configuration text (.xml = CIB, else native)
 * </pre>
 * Queries answer from this node's latest snapshot; changes travel through the ordered channel and answer once
 * applied. Thread-safe; blocks the caller at most the configured timeout.
 */
public final class CrmCommands {
    private final Supplier<CrmSnapshot> snapshots;
    private final Function<List<String>, CompletableFuture<CommandResult>> submitter;
    private final Duration timeout;

    /**
     * @param snapshots supplies the current snapshot
     * @param submitter sends a change through the channel (e.g. {@link SimpleCrm#submit})
     * @param timeout   how long a change may take to be applied before the answer is "not confirmed"
     */
    public CrmCommands(Supplier<CrmSnapshot> snapshots, Function<List<String>, CompletableFuture<CommandResult>> submitter,
                       Duration timeout) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.submitter = Objects.requireNonNull(submitter, "submitter");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Commands of a running CRM with a 10 s timeout. */
    public static CrmCommands of(SimpleCrm crm) {
        return new CrmCommands(crm::snapshot, crm::submit, Duration.ofSeconds(10));
    }

    /** Runs one command, e.g. {@code ["resource", "move", "web", "node2"]}. Never throws for bad input. */
    public CommandResult run(List<String> args) {
        if (args.size() < 2) {
            return CommandResult.usage(usage());
        }
        String verb = args.get(0) + " " + args.get(1);
        List<String> rest = args.subList(2, args.size());
        return switch (verb) {
            case "resource list" -> rest.isEmpty() ? list() : CommandResult.usage("usage: resource list");
            case "resource status" -> rest.size() <= 1 ? status(rest.isEmpty() ? null : rest.get(0))
                    : CommandResult.usage("usage: resource status [RESOURCE]");
            case "resource failcount" -> rest.size() == 1 || rest.size() == 2
                    ? failcount(rest.get(0), rest.size() == 2 ? rest.get(1) : null)
                    : CommandResult.usage("usage: resource failcount RESOURCE [NODE]");
            case "resource move", "resource ban" -> change(args, 2, 2, verb + " RESOURCE NODE");
            case "resource clear", "resource start", "resource stop" -> change(args, 1, 1, verb + " RESOURCE");
            case "resource cleanup" -> change(args, 1, 2, verb + " RESOURCE [NODE]");
            case "node standby", "node online" -> change(args, 1, 1, verb + " NODE");
            case "node maintenance" -> change(args, 1, 2, verb + " NODE [on|off]");
            case "config load" -> rest.size() == 1 ? load(Path.of(rest.get(0)))
                    : CommandResult.usage("usage: config load FILE");
            default -> CommandResult.usage("unknown command '" + String.join(" ", args) + "'\n" + usage());
        };
    }

    static String usage() {
        return "usage: resource list|status|failcount|move|ban|clear|start|stop|cleanup ..., "
                + "node standby|online|maintenance NODE, config load FILE";
    }

    private CommandResult change(List<String> args, int min, int max, String usage) {
        int n = args.size() - 2;
        if (n < min || n > max) {
            return CommandResult.usage("usage: " + usage);
        }
        return await(submitter.apply(List.copyOf(args)));
    }

    private CommandResult load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return CommandResult.failed("config load: cannot read " + file + ": " + e.getMessage());
        }
        String format = file.getFileName().toString().endsWith(".xml") ? ConfigDocument.CIB : ConfigDocument.NATIVE;
        return await(submitter.apply(List.of("config", "load", format, text)));
    }

    private CommandResult await(CompletableFuture<CommandResult> f) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new CommandResult(CommandResult.TIMED_OUT, "not confirmed within " + timeout.toMillis()
                    + " ms (the cluster may still apply it)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CommandResult(CommandResult.TIMED_OUT, "interrupted");
        } catch (ExecutionException e) {
            return CommandResult.failed("failed: " + e.getCause());
        }
    }

    private Configuration configuration(CrmSnapshot s, StringBuilder problem) {
        if (s.configuration() == null) {
            problem.append("the configuration is broken: ").append(s.configError());
        }
        return s.configuration();
    }

    private CommandResult list() {
        CrmSnapshot s = snapshots.get();
        StringBuilder problem = new StringBuilder();
        Configuration cfg = configuration(s, problem);
        if (cfg == null) {
            return CommandResult.failed(problem.toString());
        }
        StringBuilder out = new StringBuilder();
        for (Resource r : cfg.resources()) {
            String kind = r instanceof Primitive p ? p.agent()
                    : r instanceof Group g ? "group of " + g.members().stream().map(Primitive::id).toList()
                    : "clone of " + ((Clone) r).child().id();
            String role = r.meta().get("target-role").orElse("Started");
            List<String> where = new ArrayList<>();
            for (String id : Commands.instanceIds(cfg, r.id())) {
                s.activeOn(id).forEach(n -> {
                    if (!where.contains(n)) {
                        where.add(n);
                    }
                });
            }
            out.append(r.id()).append('\t').append(kind).append('\t').append("target-role=").append(role)
                    .append('\t').append(where.isEmpty() ? "Stopped" : "on " + String.join(",", where)).append('\n');
        }
        return CommandResult.ok(out.toString());
    }

    private CommandResult status(String rsc) {
        CrmSnapshot s = snapshots.get();
        StringBuilder problem = new StringBuilder();
        Configuration cfg = configuration(s, problem);
        if (cfg == null) {
            return CommandResult.failed(problem.toString());
        }
        if (rsc != null && !cfg.resourcesById().containsKey(rsc)) {
            return CommandResult.failed("no resource '" + rsc + "'");
        }
        StringBuilder out = new StringBuilder();
        out.append("DC: ").append(s.dc() == null ? "(none)" : s.dc()).append(", members: ").append(s.members())
                .append(s.quorate() ? ", quorate" : ", NO QUORUM").append(s.synced() ? "" : ", syncing")
                .append(", configuration epoch ").append(s.config().epoch()).append('\n');
        List<String> ids = rsc == null ? new ArrayList<>(ReplicatedState.instances(cfg).keySet())
                : Commands.instanceIds(cfg, rsc);
        for (String id : ids) {
            List<String> parts = new ArrayList<>();
            for (NodeRecord r : s.records().values()) {
                LocalState st = r.state(id);
                boolean counts = s.members().contains(r.uname()) || r.expectedUp();
                if (counts && (st.active() || st.failed() || st.notInstalled())) {
                    parts.add(st.describe() + " on " + r.uname() + (s.members().contains(r.uname()) ? "" : " (lost)"));
                }
            }
            out.append(id).append('\t').append(parts.isEmpty() ? "Stopped" : String.join("; ", parts)).append('\n');
        }
        if (!s.transition().isEmpty()) {
            out.append(s.transition()).append('\n');
        }
        return CommandResult.ok(out.toString());
    }

    private CommandResult failcount(String rsc, String node) {
        CrmSnapshot s = snapshots.get();
        StringBuilder problem = new StringBuilder();
        Configuration cfg = configuration(s, problem);
        if (cfg == null) {
            return CommandResult.failed(problem.toString());
        }
        if (!cfg.resourcesById().containsKey(rsc)) {
            return CommandResult.failed("no resource '" + rsc + "'");
        }
        if (node != null && !s.records().containsKey(node)) {
            return CommandResult.failed("no node '" + node + "' (known: " + s.records().keySet() + ")");
        }
        StringBuilder out = new StringBuilder();
        List<String> ids = Commands.instanceIds(cfg, rsc);
        for (Map.Entry<String, NodeRecord> e : s.records().entrySet()) {
            if (node != null && !node.equals(e.getKey())) {
                continue;
            }
            for (String id : ids) {
                out.append(id).append('\t').append(e.getKey()).append('\t')
                        .append(Score.format(e.getValue().failCount(id))).append('\n');
            }
        }
        return CommandResult.ok(out.toString());
    }
}
