/**
 * The fencer: makes sure a lost node is really off before its services start elsewhere.
 *
 * <p>Design. {@link org.ringmaster.fencing.FenceCoordinator} is the deterministic core (no threads, no clock
 * reads): requests, manual confirmations and results travel on the cluster's totally ordered channel ({@link
 * org.ringmaster.fencing.OrderedChannel}), so every node keeps the same per-target queue of operations, computes the
 * same executor (the asking node unless it is the target; never the target itself) and learns the same results and
 * history. Only the executor runs devices, level by level as configured in the topology ({@link
 * org.ringmaster.fencing.FencingConfig}); a level succeeds when all its devices do. Devices are run through a
 * {@link org.ringmaster.fencing.DeviceRunner}: standard fence agents ({@link
 * org.ringmaster.fencing.AgentDeviceRunner}, built on {@code org.ringmaster.fencing.agent}), the poison-pill disk
 * ({@code org.ringmaster.fencing.sbd}), manual confirmation ({@link org.ringmaster.fencing.ManualDeviceRunner}) or a
 * scripted device for tests and labs ({@link org.ringmaster.fencing.ScriptedDeviceRunner}).
 * {@link org.ringmaster.fencing.FencingService} runs the core on one event thread and implements the CRM-facing
 * {@link org.ringmaster.crm.api.fencing.Fencer}.
 *
 * <p>Deviations from pacemaker-fenced, on purpose: requests from a partition without quorum are refused at the
 * origin (unless {@code fenceWithoutQuorum}); the whole operation has one timeout ({@code operationTimeout}) and each
 * device call its own; a manual confirmation is itself an ordered message, so it ends the operation on every node at
 * the same point.
 */
package org.ringmaster.fencing;
