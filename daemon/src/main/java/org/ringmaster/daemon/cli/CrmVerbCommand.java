package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ringmaster.crm.simple.run.CommandResult;
import org.ringmaster.daemon.client.RingmasterClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringctl resource ...} and {@code ringctl node ...}: the running CRM's verbs, sent as words over the
 * admin socket; prints the CRM's text and exits with its code (0 ok, 1 refused or failed, 2 usage, 3 not
 * confirmed in time).
 */
abstract class CrmVerbCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DaemonConnection daemon;

    @Parameters(arity = "1..*", paramLabel = "WORD", description = "the verb and its arguments")
    List<String> words;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> all = new ArrayList<>();
        all.add(spec.name());
        all.addAll(words);
        all.addAll(extraWords());
        try (RingmasterClient client = daemon.connect()) {
            CommandResult r = client.crm(all);
            if (r.exitCode() == CommandResult.OK) {
                out.print(r.text());
            } else {
                spec.commandLine().getErr().print(r.text());
            }
            return r.exitCode();
        } catch (IOException e) {
            spec.commandLine().getErr().println("ringctl " + spec.name() + ": " + e.getMessage());
            return Ringctl.INVALID;
        }
    }

    /** Words the sub-command's own options stand for, appended after the positional ones. */
    List<String> extraWords() {
        return List.of();
    }

    /** {@code ringctl resource list|status|failcount|move|ban|clear|start|stop|cleanup ...}. */
    @Command(name = "resource", mixinStandardHelpOptions = true,
            description = {"Resources of the running CRM:",
                "  list | status [RESOURCE] | failcount RESOURCE [NODE] | move RESOURCE NODE | ban RESOURCE NODE",
                "  | clear RESOURCE | start RESOURCE | stop RESOURCE | cleanup RESOURCE [NODE]"},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:done", "1:refused, failed, or the daemon cannot be reached", "2:bad command line",
                "3:the change was not confirmed in time"})
    static final class Resource extends CrmVerbCommand {
    }

    /** {@code ringctl node standby|online|maintenance|attribute ...}. */
    @Command(name = "node", mixinStandardHelpOptions = true,
            description = {"Nodes of the running CRM:", "  standby NODE | online NODE | maintenance NODE [on|off]",
                "  | attribute NODE [NAME [VALUE]] [--delete]   transient node attribute (e.g. for location rules):",
                "    list, show, set or remove; kept by the node while it is in the ring"},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:done", "1:refused, failed, or the daemon cannot be reached", "2:bad command line",
                "3:the change was not confirmed in time"})
    static final class Node extends CrmVerbCommand {
        @picocli.CommandLine.Option(names = "--delete", description = "with attribute NODE NAME: remove it")
        boolean delete;

        @Override
        List<String> extraWords() {
            return delete ? List.of("--delete") : List.of();
        }
    }
}
