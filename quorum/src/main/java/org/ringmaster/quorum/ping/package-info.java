/**
 * Ping nodes as a quorum device, after heartbeat's ping/ping_group and pacemaker's pingd:
 * {@link org.ringmaster.quorum.ping.PingDevice} with TCP-connect, UDP-exchange or ICMP-echo probes.
 */
package org.ringmaster.quorum.ping;
