/** The daemon's metrics export: the optional Prometheus endpoint over the daemon's Micrometer registry. */
package org.ringmaster.daemon.metrics;
