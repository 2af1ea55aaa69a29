package org.ringmaster.crm.api.resource;

/**
 * How far an operation got, independent of the agent's return code. Only {@link #DONE} means the agent ran
 * to completion and its (mapped) return code is the answer; every other status carries an executor-chosen
 * OCF code as described on each constant.
 */
public enum OperationStatus {
    /** The agent ran and exited; {@link OperationResult#rc()} is its mapped OCF return code. */
    DONE,
    /** The agent did not finish within the operation timeout; its process group was killed. rc = 1. */
    TIMED_OUT,
    /** The agent does not exist or cannot be executed. rc = 5 ({@code OCF_ERR_INSTALLED}). */
    NOT_INSTALLED,
    /** The operation was refused before running: unknown action or invalid/missing parameters. rc = 2 or 6. */
    INVALID,
    /** The executor could not run the agent or could not understand its output. rc = 1. */
    ERROR,
    /** The operation was cancelled (recurring operation cancelled, or the LRM shut down) before it ran. rc = 1. */
    CANCELLED
}
