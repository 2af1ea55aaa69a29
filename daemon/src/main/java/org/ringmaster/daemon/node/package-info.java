/**
 * A running node: {@link org.ringmaster.daemon.node.NodeSettings} maps the configuration to the
 * ring's, membership's, the transports' and votequorum's settings;
 * {@link org.ringmaster.daemon.node.RingTransport} opens the sockets;
 * {@link org.ringmaster.daemon.node.ClusterNode} is the agent that runs Totem membership with
 * votequorum and the process groups sharing its ordered channel, and publishes a
 * {@link org.ringmaster.daemon.node.NodeView} for other threads.
 */
package org.ringmaster.daemon.node;
