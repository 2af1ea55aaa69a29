package org.ringmaster.fencing.agent;

/** A fence agent could not be found, run or understood. The message names the agent and never holds a secret. */
public class FenceAgentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FenceAgentException(String message) {
        super(message);
    }

    public FenceAgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
