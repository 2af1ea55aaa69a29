package org.ringmaster.fencing.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * One request to run a fence agent. Immutable.
 *
 * @param agent   agent name found in the executor's agent directories (e.g. {@code fence_ipmilan}) or an
 *                absolute path
 * @param action  the action
 * @param params  device parameters plus the target's plug, if any; {@code action} in it is ignored
 * @param timeout per attempt; the agent's process group is killed when it overruns
 * @param retries extra attempts after a failure or timeout (0 = run once)
 */
public record AgentCall(String agent, AgentAction action, AgentParams params, Duration timeout, int retries) {

    public AgentCall {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("fence agent " + agent + " " + action.wireName()
                + ": timeout must be positive, was " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("fence agent " + agent + " " + action.wireName()
                + ": retries must be >= 0, was " + retries);
        }
    }

    /** A call with no retries. */
    public static AgentCall once(String agent, AgentAction action, AgentParams params, Duration timeout) {
        return new AgentCall(agent, action, params, timeout, 0);
    }
}
