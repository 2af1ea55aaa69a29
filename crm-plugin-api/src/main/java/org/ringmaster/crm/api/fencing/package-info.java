/**
 * How a cluster resource manager asks for a node to be fenced and learns the outcome.
 *
 * <p>The CRM builds a {@link org.ringmaster.crm.api.fencing.FenceRequest} (target node, {@link
 * org.ringmaster.crm.api.fencing.FenceAction off/on/reboot}, reason) and hands it to the {@link
 * org.ringmaster.crm.api.fencing.Fencer} of its node. The fencer shares the request cluster-wide through the
 * ordered channel, runs the configured fencing topology on some node other than the target, and every node
 * learns the same {@link org.ringmaster.crm.api.fencing.FenceResult} in the same order, through {@link
 * org.ringmaster.crm.api.fencing.FenceListener}s. The node that asked also gets it through the returned future.
 *
 * <p>A CRM must not start a lost node's resources elsewhere until it has seen a result with
 * {@link org.ringmaster.crm.api.fencing.FenceStatus#SUCCEEDED} for that node (or an admin's manual
 * confirmation, which is reported the same way).
 *
 * <p>No type in this package is {@code null}-tolerant unless its javadoc says so.
 */
package org.ringmaster.crm.api.fencing;
