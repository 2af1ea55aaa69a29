package org.ringmaster.crm.simple.cib;

import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.status.ClusterStatus;

/** A parsed CIB: configuration plus status. */
public record Cib(Configuration configuration, ClusterStatus status) {
}
