package org.ringmaster.crm.simple.simulate;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ringmaster.crm.simple.cib.Cib;
import org.ringmaster.crm.simple.cib.CibFormatException;
import org.ringmaster.crm.simple.cib.CibReader;
import org.ringmaster.crm.simple.config.ConfigFormatException;
import org.ringmaster.crm.simple.config.NativeConfigReader;
import org.ringmaster.crm.simple.heartbeat.HaresourcesException;
import org.ringmaster.crm.simple.heartbeat.HaresourcesReader;
import org.ringmaster.crm.simple.heartbeat.ScriptLocator;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.policy.Action;
import org.ringmaster.crm.simple.status.ClusterStatus;
import org.ringmaster.crm.simple.policy.PolicyEngine;
import org.ringmaster.crm.simple.policy.Transition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringctl crm simulate}: runs the policy engine offline on a CIB file and prints the final
 * placement (the conformance suite's normalised listing), optionally the actions and scores.
 * Output goes to the command's configured output writer ({@code CommandLine#setOut}).
 * Exit status 0, or 2 for unreadable/malformed input (the message names the file and element).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Compute the placement offline (no daemon) and print it: rsc<TAB>node-or-Stopped<TAB>role.")
public final class CrmSimulateCommand implements Callable<Integer> {
    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    /** Exactly one input. */
    static final class Input {
        @Option(names = "--cib", paramLabel = "FILE", description = "Pacemaker CIB XML (configuration + status)")
        Path cib;

        @Option(names = "--config", paramLabel = "FILE",
                description = "ringmaster.conf with a resources {} section (all nodes online, nothing running)")
        Path config;

        @Option(names = "--haresources", paramLabel = "FILE",
                description = "heartbeat haresources (all nodes online, nothing running; needs --node)")
        Path haresources;
    }

    @Option(names = "--node", paramLabel = "NAME", description = "cluster node (for --haresources, or --config without a nodelist)")
    java.util.List<String> nodes = new java.util.ArrayList<>();

    @Option(names = "--auto-failback", paramLabel = "on|off|legacy", defaultValue = "legacy",
            description = "heartbeat auto_failback for --haresources (default: ${DEFAULT-VALUE})")
    String autoFailback;

    @Option(names = "--actions", description = "also print the ordered actions")
    boolean actions;

    @Option(names = "--scores", description = "also print the assignment scores")
    boolean scores;

    @Option(names = "--now", paramLabel = "TIME",
            description = "decide as at TIME (ISO 8601, e.g. 2025-03-01T09:30:00Z, or epoch seconds) for date rules "
                    + "and failure-timeout; default: the CIB's execution-date, else the current time")
    String now;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Cib parsed;
        Path file = input.cib != null ? input.cib : input.config != null ? input.config : input.haresources;
        try {
            parsed = load();
        } catch (CibFormatException | ConfigFormatException | HaresourcesException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException e) {
            err.println("error: " + file + ": cannot read: " + e.getMessage());
            err.flush();
            return 2;
        }
        java.time.Instant at;
        try {
            at = now != null ? parseNow(now) : parsed.status().now() != null ? parsed.status().now()
                    : java.time.Instant.now();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        }
        Transition t;
        try {
            t = PolicyEngine.decide(parsed.configuration(), parsed.status().at(at), scores);
        } catch (IllegalArgumentException e) {
            err.println("error: " + file + ": " + e.getMessage());
            err.flush();
            return 2;
        }
        print(t, out, actions, scores);
        out.flush();
        return 0;
    }

    private Cib load() throws CibFormatException, ConfigFormatException, HaresourcesException, IOException {
        if (input.cib != null) {
            return CibReader.read(input.cib);
        }
        Configuration c;
        if (input.config != null) {
            c = NativeConfigReader.read(Files.readString(input.config), input.config.toString(), nodes);
        } else {
            c = HaresourcesReader.read(Files.readString(input.haresources), input.haresources.toString(), nodes,
                    autoFailback, ScriptLocator.standard());
        }
        return new Cib(c, ClusterStatus.allOnline(c.nodes().stream().map(n -> n.uname()).toList()));
    }

    /** --now: epoch seconds or an ISO 8601 date/time (UTC unless it has an offset). */
    static java.time.Instant parseNow(String text) {
        String t = text.trim();
        if (t.matches("\\d+")) {
            return java.time.Instant.ofEpochSecond(Long.parseLong(t));
        }
        return org.ringmaster.crm.simple.model.DateExpression.parseTime(t, "--now");
    }

    /** Prints a transition in the simulate format. */
    public static void print(Transition t, PrintWriter out, boolean withActions, boolean withScores) {
        for (String line : PlacementListing.lines(t)) {
            out.println(line);
        }
        if (withActions) {
            out.println("# actions");
            for (Action a : t.actions()) {
                out.println("# " + a.index() + " " + a.describe() + (a.after().isEmpty() ? "" : " after " + a.after()));
            }
        }
        if (withScores) {
            out.println("# scores");
            for (String s : t.scores()) {
                out.println("# " + s);
            }
        }
    }

    /** Runs the command with its output on {@code out} and errors on {@code err}; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new CrmSimulateCommand());
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, args));
    }
}
