package org.ringmaster.daemon.cli;

import org.ringmaster.crm.simple.simulate.CrmSimulateCommand;

import picocli.CommandLine.Command;

/** {@code ringctl crm ...}: the cluster resource manager's verbs. {@code simulate} runs offline. */
@Command(name = "crm", mixinStandardHelpOptions = true, description = "Cluster resource manager commands.",
    subcommands = {CrmSimulateCommand.class})
final class CrmCommand
{
}
