/**
 * The cluster status the engine decides on: node membership facts, transient node attributes
 * (fail-counts, standby, promotion scores) and per-node resource states replayed from the operation
 * history ({@link org.ringmaster.crm.simple.status.OperationHistory}).
 */
package org.ringmaster.crm.simple.status;
