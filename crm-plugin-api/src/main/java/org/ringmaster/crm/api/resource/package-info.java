/**
 * How a cluster resource manager drives the local resource manager (LRM) of its node.
 *
 * <p>The CRM builds {@link org.ringmaster.crm.api.resource.ResourceOperation}s (start, stop, monitor, ...)
 * for resource instances identified by an id and an agent ({@code class:provider:type}, see
 * {@link org.ringmaster.crm.api.resource.ResourceAgentId}) and hands them to a
 * {@link org.ringmaster.crm.api.resource.LocalResourceManager}. Results come back as immutable
 * {@link org.ringmaster.crm.api.resource.OperationResult}s, both through the returned future and through
 * registered {@link org.ringmaster.crm.api.resource.OperationListener}s.
 *
 * <p>Return codes follow the OCF resource agent API (see {@link org.ringmaster.crm.api.resource.OcfExitCode});
 * agents of other classes (LSB, heartbeat, built-in) are mapped onto them by the LRM, so the CRM only
 * ever reasons about OCF codes plus an {@link org.ringmaster.crm.api.resource.OperationStatus}.
 *
 * <p>No type in this package is {@code null}-tolerant unless its javadoc says so.
 */
package org.ringmaster.crm.api.resource;
