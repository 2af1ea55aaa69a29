package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.ringmaster.daemon.client.RingmasterClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringctl fence NODE [--action off|reboot]} and {@code ringctl fence history|confirm|test|devices}: the
 * running fencer's verbs over the admin socket ({@code fence ...} requests, see the admin protocol).
 */
@Command(name = "fence", mixinStandardHelpOptions = true,
        description = {"Fence NODE now through the cluster's fencer (its devices and topology levels), or:",
            "  history [NODE] | confirm NODE | test DEVICE | devices"},
        subcommands = {FenceCommand.History.class, FenceCommand.Confirm.class, FenceCommand.Test.class,
            FenceCommand.Devices.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the node was fenced", "1:fencing failed or was refused, or the daemon cannot be reached",
            "2:bad command line", "3:not finished within --wait (it goes on; see 'ringctl fence history')"})
final class FenceCommand implements Callable<Integer> {

    /** Exit code when the operation did not end within the wait. */
    static final int PENDING = 3;

    @Spec
    CommandSpec spec;

    @Mixin
    DaemonConnection daemon;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NODE", description = "the node to fence")
    String node;

    @Option(names = "--action", paramLabel = "off|reboot", defaultValue = "reboot",
            description = "what the devices do to the node (default: ${DEFAULT-VALUE})")
    String action;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "180",
            description = "how long to wait for the result (default: ${DEFAULT-VALUE})")
    long waitSeconds;

    @Override
    public Integer call() {
        if (node == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing NODE (or a verb: history, "
                    + "confirm, test, devices)");
        }
        if (!action.equals("off") && !action.equals("reboot")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--action must be off or reboot, not '"
                    + action + "'");
        }
        return outcome(spec, daemon, List.of("request", node, action, Long.toString(waitMs(spec, waitSeconds))),
                waitMs(spec, waitSeconds));
    }

    static long waitMs(CommandSpec spec, long seconds) {
        if (seconds < 0 || seconds > TimeUnit.MINUTES.toSeconds(30)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--wait must be 0..1800 seconds");
        }
        return TimeUnit.SECONDS.toMillis(seconds);
    }

    /** Sends a request that answers one operation (or {@code pending}); prints it; exit 0 only for success. */
    static int outcome(CommandSpec spec, DaemonConnection daemon, List<String> words, long waitMs) {
        PrintWriter out = spec.commandLine().getOut();
        try (RingmasterClient client = daemon.connect()) {
            List<String> lines = client.fence(words, waitMs + 15_000);
            if (!lines.isEmpty() && lines.get(0).startsWith("pending ")) {
                spec.commandLine().getErr().println("ringctl fence: " + words.get(1) + " is not fenced yet after "
                        + waitMs / 1000 + " s; the operation goes on (see 'ringctl fence history " + words.get(1)
                        + "')");
                return PENDING;
            }
            List<Operation> ops = Operation.parse(lines);
            if (ops.isEmpty()) {
                spec.commandLine().getErr().println("ringctl fence: the daemon answered no result");
                return Ringctl.INVALID;
            }
            Operation op = ops.get(0);
            if (daemon.json) {
                out.println(JsonWriter.object(op.json()));
            } else {
                op.print(out);
            }
            return op.status.equals("succeeded") ? Ringctl.OK : Ringctl.INVALID;
        } catch (IOException e) {
            spec.commandLine().getErr().println("ringctl fence: " + e.getMessage());
            return Ringctl.INVALID;
        }
    }

    /** One operation from the {@code op}/{@code attempt} lines. */
    record Operation(long id, String target, String action, String status, String origin, String executor,
                     String device, Instant completed, String detail, List<Map<String, Object>> attempts) {

        static List<Operation> parse(List<String> lines) {
            List<Operation> ops = new ArrayList<>();
            for (String l : lines) {
                if (l.startsWith("op ")) {
                    String[] w = l.split(" ", 10);
                    ops.add(new Operation(Long.parseLong(w[1]), w[2], w[3], w[4], w[5], undash(w[6]), undash(w[7]),
                            Instant.ofEpochMilli(Long.parseLong(w[8])), w.length > 9 ? w[9] : "",
                            new ArrayList<>()));
                } else if (l.startsWith("attempt ") && !ops.isEmpty()) {
                    String[] w = l.split(" ", 6);
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("level", Integer.parseInt(w[1]));
                    a.put("device", w[2]);
                    a.put("action", w[3]);
                    a.put("ok", w[4].equals("ok"));
                    a.put("detail", w.length > 5 ? w[5] : "");
                    ops.get(ops.size() - 1).attempts.add(a);
                }
            }
            return ops;
        }

        private static String undash(String s) {
            return s.equals("-") ? "" : s;
        }

        Map<String, Object> json() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", id);
            o.put("target", target);
            o.put("action", action);
            o.put("status", status);
            o.put("origin", origin);
            o.put("executor", executor);
            o.put("device", device);
            o.put("completed", completed.toString());
            o.put("detail", detail);
            o.put("attempts", attempts);
            return o;
        }

        void print(PrintWriter out) {
            out.printf("%s  %s %s: %s%s%s (asked by %s)%s%n", completed, action, target, status,
                    executor.isEmpty() ? "" : " by " + executor, device.isEmpty() ? "" : " via " + device, origin,
                    detail.isEmpty() ? "" : ": " + detail);
            for (Map<String, Object> a : attempts) {
                String d = (String) a.get("detail");
                out.printf("    level %s %s %s: %s%s%n", a.get("level"), a.get("device"), a.get("action"),
                        (Boolean) a.get("ok") ? "ok" : "failed", d.isEmpty() ? "" : " (" + d + ")");
            }
        }
    }

    /** {@code ringctl fence history [NODE]}. */
    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Show the fencing operations this node learnt (all nodes learn the same), oldest first, "
                    + "with each device attempt.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:shown", "1:the daemon cannot be reached or runs no fencer", "2:bad command line"})
    static final class History extends DaemonQuery {

        @Parameters(index = "0", arity = "0..1", paramLabel = "NODE", description = "only operations on NODE")
        String node;

        @Override
        void print(RingmasterClient client, PrintWriter out, boolean json) throws IOException {
            List<String> words = node == null ? List.of("history") : List.of("history", node);
            List<Operation> ops = Operation.parse(client.fence(words, 15_000));
            if (json) {
                out.println(JsonWriter.object(Map.of("history", ops.stream().map(Operation::json).toList())));
                return;
            }
            if (ops.isEmpty()) {
                out.println("no fencing operations" + (node == null ? "" : " on " + node));
            }
            ops.forEach(o -> o.print(out));
        }
    }

    /** {@code ringctl fence confirm NODE}. */
    @Command(name = "confirm", mixinStandardHelpOptions = true,
            description = {"Manual fencing: confirm that NODE is really powered off (you checked it yourself).",
                "Ends a fencing of NODE waiting on a manual device as succeeded, on every node; the cluster then",
                "recovers NODE's resources elsewhere. Confirming a node that still runs destroys data."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:recorded cluster-wide", "1:the daemon cannot be reached or runs no fencer",
                "2:bad command line", "3:not recorded within --wait"})
    static final class Confirm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DaemonConnection daemon;

        @Parameters(index = "0", paramLabel = "NODE", description = "the node that is off")
        String node;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "30",
                description = "how long to wait until it is recorded (default: ${DEFAULT-VALUE})")
        long waitSeconds;

        @Override
        public Integer call() {
            long wait = waitMs(spec, waitSeconds);
            return outcome(spec, daemon, List.of("confirm", node, Long.toString(wait)), wait);
        }
    }

    /** {@code ringctl fence test DEVICE}. */
    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Check a fence device without fencing: its agent's monitor (or status); a poison-pill "
                    + "disk is read.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the device answered", "1:the device failed, is unknown, or the daemon cannot be "
                + "reached", "2:bad command line"})
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DaemonConnection daemon;

        @Parameters(index = "0", paramLabel = "DEVICE", description = "a configured device name")
        String device;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (RingmasterClient client = daemon.connect()) {
                List<String> lines = client.fence(List.of("test", device), TimeUnit.MINUTES.toMillis(6));
                String l = lines.stream().filter(x -> x.startsWith("check ")).findFirst().orElse(null);
                if (l == null) {
                    spec.commandLine().getErr().println("ringctl fence test: the daemon answered no result");
                    return Ringctl.INVALID;
                }
                String[] w = l.split(" ", 6);
                boolean ok = w[4].equals("ok");
                String detail = w.length > 5 ? w[5] : "";
                if (daemon.json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("device", w[1]);
                    o.put("agent", w[2]);
                    o.put("action", w[3]);
                    o.put("ok", ok);
                    o.put("detail", detail);
                    out.println(JsonWriter.object(o));
                } else {
                    out.printf("%s (%s) %s: %s%s%n", w[1], w[2], w[3], ok ? "ok" : "FAILED",
                            detail.isEmpty() ? "" : ": " + detail);
                }
                return ok ? Ringctl.OK : Ringctl.INVALID;
            } catch (IOException e) {
                spec.commandLine().getErr().println("ringctl fence test: " + e.getMessage());
                return Ringctl.INVALID;
            }
        }
    }

    /** {@code ringctl fence devices}. */
    @Command(name = "devices", mixinStandardHelpOptions = true,
            description = "List the fence devices, the nodes each can fence, and the topology levels.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:shown", "1:the daemon cannot be reached or runs no fencer", "2:bad command line"})
    static final class Devices extends DaemonQuery {
        @Override
        void print(RingmasterClient client, PrintWriter out, boolean json) throws IOException {
            List<Map<String, Object>> devices = new ArrayList<>();
            List<Map<String, Object>> levels = new ArrayList<>();
            for (String l : client.fence(List.of("devices"), TimeUnit.MINUTES.toMillis(6))) {
                String[] w = l.split(" ", 5);
                if (w[0].equals("device") && w.length >= 4) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("name", w[1]);
                    d.put("agent", w[2]);
                    d.put("nodes", w[3].equals("-") ? List.of() : List.of(w[3].split(",")));
                    d.put("how", w.length > 4 ? w[4] : "");
                    devices.add(d);
                } else if (w[0].equals("level") && w.length == 4) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("node", w[1]);
                    v.put("index", Integer.parseInt(w[2]));
                    v.put("devices", List.of(w[3].split(",")));
                    levels.add(v);
                }
            }
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("devices", devices);
                o.put("levels", levels);
                out.println(JsonWriter.object(o));
                return;
            }
            out.printf("%-20s %-16s %s%n", "device", "agent", "can fence");
            for (Map<String, Object> d : devices) {
                @SuppressWarnings("unchecked")
                List<String> nodes = (List<String>) d.get("nodes");
                out.printf("%-20s %-16s %s (%s)%n", d.get("name"), d.get("agent"),
                        nodes.isEmpty() ? "-" : String.join(",", nodes), d.get("how"));
            }
            if (!levels.isEmpty()) {
                out.printf("%ntopology:%n");
                for (Map<String, Object> v : levels) {
                    @SuppressWarnings("unchecked")
                    List<String> ds = (List<String>) v.get("devices");
                    out.printf("  %-12s level %s: %s%n", v.get("node"), v.get("index"), String.join(" + ", ds));
                }
            }
        }
    }
}
