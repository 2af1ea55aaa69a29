/**
 * Configuration in Corosync's {@code corosync.conf} syntax, plus Ringmaster's own sections.
 *
 * <p>Three steps, each usable alone:
 * <ol>
 *   <li>{@link org.ringmaster.daemon.config.CorosyncConfParser} reads the brace syntax into a
 *       {@link org.ringmaster.daemon.config.ConfigSection} tree that remembers the file, line and column
 *       of every section, key and value, following Corosync's own line rules so that every file
 *       Corosync accepts is accepted.</li>
 *   <li>{@link org.ringmaster.daemon.config.ClusterConfig#load} turns the tree into immutable typed
 *       records ({@link org.ringmaster.daemon.config.TotemConfig},
 *       {@link org.ringmaster.daemon.config.NodeConfig}, {@link org.ringmaster.daemon.config.QuorumConfig},
 *       {@link org.ringmaster.daemon.config.LoggingConfig}, ...) with Corosync 3.1.7's defaults and
 *       meaning, and checks values and combinations. Every problem is a
 *       {@link org.ringmaster.daemon.config.Diagnostic} naming position and key; all errors of a
 *       file are reported at once in a {@link org.ringmaster.daemon.config.ConfigException}.
 *       Options Corosync knows but Ringmaster does not implement, and unknown options, are warnings
 *       that name the option: nothing is ignored silently.</li>
 *   <li>{@link org.ringmaster.daemon.config.LocalNode#find} decides which node of the node list this
 *       process is, by matching node addresses against this host's interfaces (or {@code --node}).</li>
 * </ol>
 *
 * <p>Ringmaster's own sections: {@code crm { plugin: simple ... }}, {@code metrics {
 * prometheus_port: N  bind: ADDR }}, and {@code resources {}} / {@code fencing {}}, kept as written for
 * the CRM and the fencer to validate.
 */
package org.ringmaster.daemon.config;
