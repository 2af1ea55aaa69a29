/**
 * {@code ringctl}, the admin command line ({@link org.ringmaster.daemon.cli.Ringctl}), built with
 * picocli: one class per verb, registered as a sub-command. Launched by {@code bin/ringctl}.
 */
package org.ringmaster.daemon.cli;
