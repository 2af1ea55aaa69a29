package org.ringmaster.daemon.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;

import org.ringmaster.agents.AgentCatalog;
import org.ringmaster.agents.AgentCommands;
import org.ringmaster.agents.AgentsConfig;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringctl agent list|meta|run}: resource agents for admins, without a daemon (what
 * ocf-tester and {@code crm_resource --force-*} give them). {@code run} exits with the agent's own
 * exit code, so {@code monitor} of a stopped resource exits 7.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "List, describe and run resource agents (ocf, lsb, heartbeat, builtin) without a daemon.",
    subcommands = {AgentCommand.ListAgents.class, AgentCommand.Meta.class, AgentCommand.Run.class})
final class AgentCommand
{
    /** Runs one AgentCommands call with its output captured and written to picocli's writers. */
    static int withCommands(final CommandLine.Model.CommandSpec spec, final ToIntFunction<AgentCommands> call)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            rc = call.applyAsInt(new AgentCommands(new AgentCatalog(AgentsConfig.defaults()), o, e));
        }
        spec.commandLine().getOut().print(out.toString(StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().print(err.toString(StandardCharsets.UTF_8));
        spec.commandLine().getErr().flush();
        return rc;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One class:provider:type per line.")
    static final class ListAgents implements Callable<Integer>
    {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call()
        {
            return withCommands(spec, AgentCommands::list);
        }
    }

    @Command(name = "meta", mixinStandardHelpOptions = true, description = "Print an agent's meta-data XML.")
    static final class Meta implements Callable<Integer>
    {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CLASS:PROVIDER:TYPE")
        String agent;

        @Override
        public Integer call()
        {
            return withCommands(spec, c -> c.meta(agent));
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run one action of an agent and exit with its exit code.")
    static final class Run implements Callable<Integer>
    {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CLASS:PROVIDER:TYPE")
        String agent;

        @Parameters(index = "1", paramLabel = "ACTION", description = "start, stop, monitor, meta-data, validate-all, ...")
        String action;

        @Parameters(index = "2..*", paramLabel = "KEY=VALUE", description = "instance parameters")
        List<String> parameters = new ArrayList<>();

        @Option(names = "--resource", defaultValue = "ringctl", description = "instance name (OCF_RESOURCE_INSTANCE)")
        String resource;

        @Option(names = "--timeout", defaultValue = "0", description = "seconds; 0 = the agent's advertised timeout")
        long timeoutSeconds;

        @Override
        public Integer call()
        {
            return withCommands(spec, c -> c.run(agent, action, parameters, resource, Duration.ofSeconds(timeoutSeconds)));
        }
    }
}
