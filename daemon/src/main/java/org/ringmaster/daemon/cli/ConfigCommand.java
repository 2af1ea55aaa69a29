package org.ringmaster.daemon.cli;

import picocli.CommandLine.Command;

/** {@code ringctl config ...}: work on configuration files. Needs a sub-command. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with configuration files.",
        subcommands = {ConfigCheckCommand.class, ConfigReloadCommand.class, ImportHeartbeatCommand.class})
final class ConfigCommand {
}
