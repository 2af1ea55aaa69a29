/**
 * Resource agents and the local resource manager (LRM) that runs them for the CRM.
 *
 * <p>Design in brief:
 * <ul>
 *   <li>{@link org.ringmaster.agents.exec.ResourceExecutor} implements the crm-plugin-api
 *       {@link org.ringmaster.crm.api.resource.LocalResourceManager}: one FIFO lane per resource (operations on a
 *       resource never overlap), a fixed pool bounding how many resources run at once, recurring operations as
 *       timers from an injected {@link org.ringmaster.agents.exec.Scheduler}, a bounded history per resource, and
 *       listeners told of every one-shot result and of every change in a recurring one.</li>
 *   <li>{@link org.ringmaster.agents.AgentCatalog} maps {@code class:provider:type} to a
 *       {@link org.ringmaster.agents.ResourceAgent}: OCF ({@code ocf}), LSB init scripts ({@code lsb}), heartbeat v1
 *       resource.d scripts ({@code heartbeat}) and built-ins ({@code builtin:process}, {@code builtin:vip},
 *       {@code builtin:dummy}). Every class is mapped onto OCF return codes.</li>
 *   <li>{@link org.ringmaster.agents.process.ProcessRunner} runs every external agent in its own session and
 *       process group ({@code setsid}) with a clean environment; on timeout the whole group gets SIGTERM and then
 *       SIGKILL, so an agent's children cannot outlive it. Output is kept as a bounded tail, so an agent printing
 *       megabytes costs a fixed amount of memory.</li>
 *   <li>Agent misbehaviour never throws: a hang, garbage, an unknown exit code, a missing script or bad meta-data
 *       becomes an {@link org.ringmaster.crm.api.resource.OperationResult} whose status and exit reason name the
 *       agent and the action.</li>
 * </ul>
 */
package org.ringmaster.agents;
