/**
 * The SPI a cluster resource manager implements ({@link org.ringmaster.crm.api.ClusterResourceManager},
 * found through {@link org.ringmaster.crm.api.CrmPlugin} by name) and the services a host gives it
 * ({@link org.ringmaster.crm.api.CrmContext}): the cluster view, an ordered EVS channel, the local
 * resource manager ({@code resource} package), the fencer ({@code fencing} package), meters and a
 * state directory. One agent thread drives a CRM; see ClusterResourceManager for the threading rules.
 */
package org.ringmaster.crm.api;
