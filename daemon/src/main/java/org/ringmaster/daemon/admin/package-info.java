/**
 * The admin/client Unix socket: {@link org.ringmaster.daemon.admin.AdminServer} (socket file,
 * permissions, one thread per client), {@link org.ringmaster.daemon.admin.ClientPolicy} (who may
 * connect) and the line protocol, documented in {@link org.ringmaster.daemon.admin.Protocol}.
 */
package org.ringmaster.daemon.admin;
