package org.ringmaster.agents.ocf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ringmaster.agents.AgentException;
import org.ringmaster.agents.AgentMetadata;
import org.ringmaster.agents.AgentOutcome;
import org.ringmaster.agents.AgentsConfig;
import org.ringmaster.agents.ScriptAgent;
import org.ringmaster.agents.process.ProcessOutcome;
import org.ringmaster.agents.process.ProcessRunner;
import org.ringmaster.crm.api.resource.OcfExitCode;
import org.ringmaster.crm.api.resource.OperationStatus;
import org.ringmaster.crm.api.resource.ResourceAgentId;
import org.ringmaster.crm.api.resource.ResourceOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OCF resource agent: {@code $OCF_ROOT/resource.d/<provider>/<type> <action>}, parameters in the
 * environment (REFERENCE §3.1), OCF exit codes passed through. Parameters are checked against the agent's
 * meta-data before any action but {@code stop} and {@code meta-data}.
 */
public final class OcfAgent extends ScriptAgent {
    private static final Logger LOG = LoggerFactory.getLogger(OcfAgent.class);
    static final String FEATURE_SET = "3.16.1";

    private final AgentsConfig config;
    private volatile AgentMetadata metadata;

    public OcfAgent(ResourceAgentId id, AgentsConfig config, ProcessRunner runner) {
        super(id, runner);
        if (!"ocf".equals(id.agentClass()) || id.provider().isEmpty()) {
            throw new IllegalArgumentException(id + " is not an ocf:provider:type agent");
        }
        this.config = config;
    }

    @Override
    protected Path script() {
        return config.ocfRoot().resolve("resource.d").resolve(id.provider()).resolve(id.type());
    }

    @Override
    public AgentMetadata metadata() throws AgentException {
        AgentMetadata md = metadata;
        if (md == null) {
            md = readMetadata(config.metadataTimeout()).metadata;
            metadata = md; // only successes are cached, so a repaired agent is picked up
        }
        return md;
    }

    @Override
    public AgentOutcome run(ResourceOperation op, Duration timeout) {
        try {
            runnableScript();
            if (op.action().equals(ResourceOperation.META_DATA)) {
                Read r = readMetadata(timeout);
                metadata = r.metadata;
                return AgentOutcome.done(0, "", r.process.duration(), r.process.outputTail());
            }
            Optional<AgentOutcome> refused = check(op);
            if (refused.isPresent()) {
                return refused.get();
            }
            ProcessOutcome out = exec(op.action(), List.of(script().toString(), op.action()),
                environment(op, timeout), timeout, false);
            return mapExit(op, out);
        } catch (AgentException e) {
            return outcomeOf(e);
        }
    }

    private Optional<AgentOutcome> check(ResourceOperation op) throws AgentException {
        if (op.action().equals(ResourceOperation.STOP)) {
            return Optional.empty();
        }
        AgentMetadata md;
        try {
            md = metadata();
        } catch (AgentException e) {
            if (e.status() == OperationStatus.NOT_INSTALLED) {
                throw new AgentException(e.status(), e.rc(), id + " " + op.action() + " of " + op.resourceId()
                    + ": " + e.getMessage());
            }
            LOG.warn("{} {} on {}: running without parameter checks: {}", id, op.action(), op.resourceId(),
                e.getMessage());
            return Optional.empty();
        }
        List<String> problems = md.problems(op.parameters());
        if (!problems.isEmpty()) {
            return Optional.of(AgentOutcome.refused(OperationStatus.INVALID, OcfExitCode.ERR_CONFIGURED.code(),
                id + " " + op.action() + " of " + op.resourceId() + ": " + String.join("; ", problems)));
        }
        return Optional.empty();
    }

    private AgentOutcome mapExit(ResourceOperation op, ProcessOutcome out) {
        int rc = out.exitCode();
        String reason = out.exitReason();
        if (OcfExitCode.of(rc) == null && reason.isEmpty()) {
            reason = id + " " + op.action() + " exited with unknown code " + rc
                + (rc > 128 && rc < 160 ? " (killed by signal " + (rc - 128) + "?)" : "");
        }
        return AgentOutcome.done(rc, reason, out.duration(), out.outputTail());
    }

    /** The full OCF environment for one operation (REFERENCE §3.1). */
    Map<String, String> environment(ResourceOperation op, Duration timeout) {
        Map<String, String> env = baseEnvironment();
        env.put("OCF_RESOURCE_INSTANCE", op.resourceId());
        env.put("OCF_RESOURCE_TYPE", id.type());
        env.put("OCF_RESOURCE_PROVIDER", id.provider());
        env.put("OCF_EXIT_REASON_PREFIX", "ocf-exit-reason:");
        env.put("OCF_OUTPUT_FORMAT", "text");
        env.put("HA_debug", "0");
        env.put("HA_logfacility", "none");
        env.put("PCMK_logfacility", "none");
        env.put("PCMK_service", "ringmaster");
        env.put("OCF_RESKEY_crm_feature_set", FEATURE_SET);
        op.parameters().forEach((k, v) -> env.put("OCF_RESKEY_" + k, v));
        op.meta().forEach((k, v) -> env.put("OCF_RESKEY_CRM_meta_" + k.replace('-', '_'), v));
        env.put("OCF_RESKEY_CRM_meta_timeout", Long.toString(timeout.toMillis()));
        env.put("OCF_RESKEY_CRM_meta_interval", Long.toString(op.interval().toMillis()));
        env.put("OCF_RESKEY_CRM_meta_name", op.action());
        String depth = op.parameters().get("OCF_CHECK_LEVEL");
        if (depth != null) {
            env.put("OCF_CHECK_LEVEL", depth);
        }
        return env;
    }

    private Map<String, String> baseEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("OCF_ROOT", config.ocfRoot().toString());
        env.put("OCF_RA_VERSION_MAJOR", "1");
        env.put("OCF_RA_VERSION_MINOR", "1");
        return env;
    }

    private Read readMetadata(Duration timeout) throws AgentException {
        Path p = runnableScript();
        ProcessOutcome out = exec(ResourceOperation.META_DATA, List.of(p.toString(), ResourceOperation.META_DATA),
            baseEnvironment(), timeout, true);
        if (out.exitCode() != 0) {
            throw new AgentException(OperationStatus.ERROR, OcfExitCode.ERR_GENERIC.code(),
                id + " meta-data exited with code " + out.exitCode() + ": " + lastLine(out.outputTail()));
        }
        if (out.stdoutOverflow()) {
            throw new AgentException(OperationStatus.ERROR, OcfExitCode.ERR_GENERIC.code(),
                id + " meta-data printed more than " + runner.settings().stdoutLimitBytes() + " bytes");
        }
        try {
            return new Read(AgentMetadata.parse(out.stdout(), id.toString()), out);
        } catch (IllegalArgumentException e) {
            throw new AgentException(OperationStatus.ERROR, OcfExitCode.ERR_GENERIC.code(),
                id + " meta-data: " + e.getMessage());
        }
    }

    private record Read(AgentMetadata metadata, ProcessOutcome process) {
    }
}
