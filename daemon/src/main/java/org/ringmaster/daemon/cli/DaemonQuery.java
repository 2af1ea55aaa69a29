package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ringmaster.daemon.client.RingmasterClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A read command against a running daemon: connect, ask, print; exit 1 if the daemon cannot answer. */
abstract class DaemonQuery implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DaemonConnection daemon;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RingmasterClient client = daemon.connect()) {
            print(client, out, daemon.json);
            return Ringctl.OK;
        } catch (IOException e) {
            spec.commandLine().getErr().println("ringctl " + spec.name() + ": " + e.getMessage());
            return Ringctl.INVALID;
        }
    }

    abstract void print(RingmasterClient client, PrintWriter out, boolean json) throws IOException;
}
