/**
 * {@code ringmasterd} ({@link org.ringmaster.daemon.Ringmasterd}): one cluster node in the
 * foreground. It reads the configuration ({@code org.ringmaster.daemon.config}), derives the node's
 * settings and opens its sockets ({@code org.ringmaster.daemon.node}), runs membership, votequorum
 * and the process groups on one Agrona agent thread, and serves the admin socket
 * ({@code org.ringmaster.daemon.admin}) that {@code ringctl} and the client library
 * ({@code org.ringmaster.daemon.client}) use.
 */
package org.ringmaster.daemon;
