package org.ringmaster.agents;

import java.time.Duration;
import java.util.Optional;
import org.ringmaster.crm.api.resource.ResourceAgentId;
import org.ringmaster.crm.api.resource.ResourceOperation;

/**
 * One resource agent (an OCF script, an LSB init script, a heartbeat resource.d script or a built-in),
 * as the executor drives it. Implementations are thread-safe; {@link #run} blocks the calling worker thread.
 */
public interface ResourceAgent {

    /** The agent's {@code class:provider:type}. */
    ResourceAgentId id();

    /**
     * Runs one action. Never throws for agent misbehaviour: a missing script, a hang, garbage output or an
     * unknown exit code all come back as an outcome whose exit reason names the agent and action.
     *
     * @param operation the operation (its agent equals {@link #id()})
     * @param timeout   the effective timeout; the agent's processes are killed when it expires
     */
    AgentOutcome run(ResourceOperation operation, Duration timeout);

    /**
     * The agent's self-description, read (and cached) on first use.
     *
     * @throws AgentException when the agent is missing or its meta-data is unusable; the message names the agent
     */
    AgentMetadata metadata() throws AgentException;

    /** The agent's advertised timeout for an action, if its meta-data is readable and names one. */
    default Optional<Duration> defaultTimeout(String action) {
        try {
            return metadata().timeout(action);
        } catch (AgentException e) {
            return Optional.empty();
        }
    }
}
