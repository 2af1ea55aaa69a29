/**
 * Migration from heartbeat v1: {@link org.ringmaster.daemon.heartbeat.HeartbeatImport} turns a
 * heartbeat directory ({@code ha.cf}, {@code authkeys}, {@code haresources}) into an equivalent
 * ringmaster.conf, for {@code ringctl config import-heartbeat}.
 */
package org.ringmaster.daemon.heartbeat;
