package org.ringmaster.perf;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ringmaster-bench}: benchmarks that print one JSON line per result. Every process a mode
 * starts is ended when it ends.
 */
@Command(name = "ringmaster-bench", mixinStandardHelpOptions = true,
    subcommands = {ThroughputCommand.class, CompareCommand.class, SweepCommand.class, RingNodeCommand.class,
        DemoCommand.class,
        org.ringmaster.perf.failover.FailoverCommand.class, org.ringmaster.perf.failover.FailoverNodeCommand.class,
        org.ringmaster.perf.jgroups.JGroupsNodeCommand.class},
    description = "Ringmaster benchmarks; each result is one JSON line on stdout.")
public final class Bench implements Runnable
{
    @Override
    public void run()
    {
        new CommandLine(this).usage(System.out);
    }

    public static void main(final String[] args)
    {
        // --plot draws into an image; no display is needed.
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new Bench()).execute(args));
    }
}
