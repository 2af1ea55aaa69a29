/**
 * Running standard fence agents (Debian fence-agents and any FenceAgentAPI-compliant program): parameters as
 * {@code name=value} lines on stdin, never on the command line; the action's answer in the exit code; timeouts that
 * kill the agent's whole process group; retries; secrets redacted from everything the agent prints. Also parses an
 * agent's metadata and validates configured device parameters against it.
 */
package org.ringmaster.fencing.agent;
