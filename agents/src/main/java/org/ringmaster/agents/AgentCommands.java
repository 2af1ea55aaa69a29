package org.ringmaster.agents;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ringmaster.crm.api.resource.OcfExitCode;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceAgentId;
import org.ringmaster.crm.api.resource.ResourceOperation;

/**
 * The admin commands behind {@code ringctl agent list|meta|run} (what ocf-tester and
 * {@code crm_resource --force-*} give Pacemaker users): run one agent action without a daemon, print what the
 * agent printed and the mapped result, and return the agent's (OCF-mapped) exit code so that scripts can test it
 * ({@code monitor} of a stopped Dummy returns 7). The command-line parsing itself belongs to ringctl.
 */
public final class AgentCommands {
    /** Exit code for a command line that could not be understood (the OCF "invalid arguments" code). */
    public static final int USAGE = OcfExitCode.ERR_ARGS.code();

    private final AgentSource agents;
    private final AgentCatalog catalog;
    private final PrintStream out;
    private final PrintStream err;

    public AgentCommands(AgentCatalog catalog, PrintStream out, PrintStream err) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.agents = catalog;
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
    }

    /** {@code agent list}: one {@code class:provider:type} per line. */
    public int list() {
        catalog.list().forEach(id -> out.println(id));
        return 0;
    }

    /** {@code agent meta CLASS:PROVIDER:TYPE}: the agent's meta-data XML. */
    public int meta(String agentSpec) {
        try {
            ResourceAgent agent = agents.resolve(ResourceAgentId.parse(agentSpec));
            out.print(agent.metadata().xml());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return USAGE;
        } catch (AgentException e) {
            err.println(e.getMessage());
            return e.rc();
        }
    }

    /**
     * {@code agent run CLASS:PROVIDER:TYPE ACTION key=value ...}.
     *
     * @param resourceId the instance name passed to the agent ({@code OCF_RESOURCE_INSTANCE})
     * @param timeout    zero for the agent's advertised timeout, else 20 s
     * @return the OCF-mapped exit code of the action ({@link #USAGE} for a bad command line)
     */
    public int run(String agentSpec, String action, List<String> keyValues, String resourceId, Duration timeout) {
        ResourceOperation op;
        ResourceAgent agent;
        try {
            agent = agents.resolve(ResourceAgentId.parse(agentSpec));
            op = new ResourceOperation(resourceId, agent.id(), action, parameters(keyValues), Map.of(), timeout,
                Duration.ZERO);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return USAGE;
        } catch (AgentException e) {
            err.println(e.getMessage());
            return e.rc();
        }
        Duration effective = timeout.isZero() ? agent.defaultTimeout(action).orElse(Duration.ofSeconds(20)) : timeout;
        AgentOutcome o = agent.run(op, effective);
        if (!o.outputTail().isEmpty()) {
            out.print(o.outputTail());
            if (!o.outputTail().endsWith("\n")) {
                out.println();
            }
        }
        String summary = agent.id() + " " + action + ": " + (o.status() == OperationStatus.DONE ? "" : o.status() + " ")
            + "rc=" + OcfExitCode.describe(o.rc()) + " in " + o.duration().toMillis() + " ms"
            + (o.exitReason().isEmpty() ? "" : " (" + o.exitReason() + ")");
        (o.rc() == 0 ? out : err).println(summary);
        return o.rc();
    }

    /**
     * Parses {@code key=value} words.
     *
     * @throws IllegalArgumentException naming the first bad word
     */
    public static Map<String, String> parameters(List<String> keyValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bad parameter '" + kv + "': expected key=value");
            }
            if (params.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("parameter '" + kv.substring(0, eq) + "' given twice");
            }
        }
        return params;
    }
}
