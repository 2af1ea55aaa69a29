package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ringmaster.daemon.client.CrmStatus;
import org.ringmaster.daemon.client.NodeStatus;
import org.ringmaster.daemon.client.RingmasterClient;
import org.ringmaster.daemon.demo.LoopbackConfig;
import org.ringmaster.totem.security.AuthKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ringctl demo}: a local three-node cluster of {@code ringmasterd} processes on 127.0.0.1-3 with a
 * resource manager, a demo service and a fence device, all in a fresh temporary directory (configuration, key,
 * state, sockets, logs). It narrates what happens: the ring forms, quorum, the coordinator, where the service
 * starts; then it kills the node running the service (SIGKILL to the daemon and everything it started, as if the
 * machine died) and shows the survivors' membership and quorum, the fencing of the dead node and the service
 * starting on a survivor. Then it stops every process it started and deletes the directory, or with
 * {@code --keep} leaves the cluster running and says how to reach it.
 *
 * <p>Needs only Java and the build: the service is {@code builtin:process} (a shell loop) behind a
 * {@code builtin:dummy} that stands in for the {@code builtin:vip} a real cluster would use (adding addresses needs
 * root); the fence device is {@code fence_dummy} when installed, else a small script the demo writes, which
 * always succeeds and says so.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a local 3-node cluster (three ringmasterd processes on 127.0.0.1-3, generated config and",
            "key in a temporary directory) with a demo service, kill the node running it, show the fencing and the",
            "failover, then clean up everything."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the demo ran through (and cleaned up, unless --keep)",
            "1:a step did not happen in time (the narrative says which; logs are kept and named)",
            "2:bad command line", "3:unexpected internal error"})
final class DemoCommand implements Callable<Integer> {

    static final int NODES = 3;
    static final String GROUP = "demo-service";
    static final String ADDRESS = "demo-ip";
    static final String SERVICE = "demo-web";
    private static final Path FENCE_DUMMY = Path.of("/usr/sbin/fence_dummy");
    private static final Duration STEP = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = "--keep", description = "leave the cluster running at the end and print how to talk to it")
    boolean keep;

    @Option(names = "--port", paramLabel = "PORT", description = "the ring's UDP port (default: a random one)")
    int port;

    @Option(names = "--dir", paramLabel = "DIR", hidden = true,
            description = "parent of the demo's temporary directory (default: the system's temporary directory)")
    Path parent;

    @Option(names = "--stand-in-fence", hidden = true,
            description = "use the stand-in fence agent even where fence_dummy is installed (tests)")
    boolean standInFence;

    private PrintWriter out;
    private long started;
    private Path dir;
    private final Process[] daemons = new Process[NODES + 1];

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        started = System.nanoTime();
        dir = parent == null ? Files.createTempDirectory("ringmaster-demo-")
                : Files.createTempDirectory(parent, "ringmaster-demo-");
        Thread hook = new Thread(this::cleanUp, "ringmaster-demo-cleanup");
        if (!keep) {
            Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C also cleans up
        }
        boolean ok = false;
        try {
            ok = run();
            return ok ? Ringctl.OK : Ringctl.INVALID;
        } finally {
            if (!keep || !ok) {
                cleanUp();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs (or ran) anyway
                }
            } else {
                printKeep();
            }
        }
    }

    private boolean run() throws Exception {
        String fence = writeFiles();
        say("ringctl demo: 3 ringmasterd processes on 127.0.0.1-3, UDP port " + port + ", AES-256-GCM");
        say("  files (configuration, key, state, logs): " + dir);
        say("  service: group " + GROUP + " = " + ADDRESS + " (builtin:dummy, in place of builtin:vip, which needs root)"
                + " then " + SERVICE + " (builtin:process, a shell loop)");
        say("  fencing: " + fence);
        for (int i = 1; i <= NODES; i++) {
            start(i);
        }
        say("started ringmasterd n1, n2, n3 (pids " + Arrays.stream(daemons).skip(1).map(p -> String.valueOf(p.pid()))
                .collect(Collectors.joining(", ")) + ")");

        NodeStatus formed = await("the ring to form with all three nodes", () -> {
            NodeStatus s = status(1);
            return s != null && s.members().length == NODES && "OPERATIONAL".equals(s.state()) ? s : null;
        });
        if (formed == null) {
            return false;
        }
        say("membership: n1, n2, n3 (ring " + formed.ringSeq() + "/" + formed.ringRep() + ")");
        NodeStatus quorate = await("quorum with every node's vote", () -> {
            NodeStatus s = status(1);
            return s != null && s.quorate().orElse(false) && s.members().length == NODES
                    && String.valueOf(NODES).equals(s.fields().get("total_votes")) ? s : null;
        });
        if (quorate == null) {
            return false;
        }
        say("quorum: " + quorum(quorate));
        // Settled: the same placement, no transition running, for a second (a node that joined late may still
        // make the coordinator move things).
        String[] seen = {""};
        long[] since = {0};
        CrmStatus placed = await("the service to start", () -> {
            CrmStatus c = crm(1);
            boolean up = c != null && !c.dc().isEmpty() && c.transition().isEmpty() && c.runningOn(ADDRESS).size() == 1
                    && c.runningOn(SERVICE).equals(c.runningOn(ADDRESS)) && started(c);
            String now = up ? c.dc() + " " + c.runningOn(SERVICE) : "";
            if (!now.equals(seen[0])) {
                seen[0] = now;
                since[0] = System.nanoTime();
            }
            return up && System.nanoTime() - since[0] > TimeUnit.SECONDS.toNanos(1) ? c : null;
        });
        if (placed == null) {
            return false;
        }
        String victim = placed.runningOn(SERVICE).get(0);
        int v = Integer.parseInt(victim.substring(1));
        say("resource manager: DC " + placed.dc() + "; " + GROUP + " runs on " + victim + " (" + ADDRESS + " then "
                + SERVICE + ", started in order)");

        int watcher = v == 1 ? 2 : 1;
        List<Integer> survivors = new ArrayList<>();
        for (int i = 1; i <= NODES; i++) {
            if (i != v) {
                survivors.add(i);
            }
        }
        say("killing " + victim + ": SIGKILL to its ringmasterd and to the service it runs, as if the machine died");
        long killedAt = System.nanoTime();
        kill(v);

        NodeStatus after = await("the survivors to form a new ring and count their votes", () -> {
            NodeStatus s = status(watcher);
            return s != null && s.members().length == NODES - 1 && "OPERATIONAL".equals(s.state())
                    && String.valueOf(NODES - 1).equals(s.fields().get("total_votes")) ? s : null;
        });
        if (after == null) {
            return false;
        }
        say("membership: " + survivors.stream().map(i -> "n" + i).collect(Collectors.joining(", ")) + " (ring "
                + after.ringSeq() + "/" + after.ringRep() + ", " + victim + " lost after "
                + millis(System.nanoTime() - killedAt) + " ms)");
        say("quorum: " + quorum(after) + (after.quorate().orElse(false) ? "; the survivors may recover the service"
                : ""));
        CrmStatus.Fencing fenced = await("the fencing of " + victim, () -> {
            CrmStatus c = crm(watcher);
            return c == null ? null : c.fencing().stream().filter(f -> f.target().equals(victim)
                    && f.status().equals("SUCCEEDED")).findFirst().orElse(null);
        });
        if (fenced == null) {
            return false;
        }
        say("fencing: " + victim + " " + fenced.action() + " by " + fenced.executor() + " via " + fenced.device()
                + ": SUCCEEDED" + (fenced.detail().isEmpty() ? "" : " (" + fenced.detail() + ")"));
        CrmStatus moved = await(GROUP + " to start on a survivor", () -> {
            CrmStatus c = crm(watcher);
            if (c == null || !c.transition().isEmpty() || !started(c)) {
                return null;
            }
            List<String> on = c.runningOn(SERVICE);
            return on.size() == 1 && !on.get(0).equals(victim) && c.runningOn(ADDRESS).equals(on) ? c : null;
        });
        if (moved == null) {
            return false;
        }
        say(GROUP + " moved to " + moved.runningOn(SERVICE).get(0) + " (fenced first, then started): "
                + millis(System.nanoTime() - killedAt) + " ms after the kill");
        say("status as " + "n" + watcher + " sees it (ringctl status):");
        StringWriter buffer = new StringWriter();
        CrmStatusText.print(moved, new PrintWriter(buffer, true));
        buffer.toString().lines().forEach(l -> out.println("    " + l));
        out.flush();
        return true;
    }

    private static boolean started(CrmStatus c) {
        return c.resources().stream().filter(r -> !r.node().isEmpty()).allMatch(r -> r.state().equals("Started"));
    }

    private String writeFiles() throws IOException {
        if (port == 0) {
            port = ThreadLocalRandom.current().nextInt(20000, 40000);
        }
        Path key = dir.resolve("authkey");
        AuthKey.generate(new SecureRandom(), AuthKey.DEFAULT_BYTES).writeTo(key, false);
        Files.createDirectories(dir.resolve("service"));
        Path resources = dir.resolve("resources.conf");
        Files.writeString(resources, "# Generated by ringctl demo: the demo service.\nresources {\n"
                + "    options {\n        fencing-enabled: true\n        no-quorum-policy: stop\n    }\n"
                + "    defaults {\n        resource-stickiness: 100\n    }\n"
                + "    primitive {\n        id: " + ADDRESS + "\n        agent: builtin:dummy\n"
                + "        op: monitor interval=2s\n    }\n"
                + "    primitive {\n        id: " + SERVICE + "\n        agent: builtin:process\n"
                + "        param: command=while true; do date +%T > " + dir.resolve("service") + "/alive; sleep 1; done\n"
                + "        op: monitor interval=2s\n    }\n"
                + "    group {\n        id: " + GROUP + "\n        members: " + ADDRESS + " " + SERVICE + "\n    }\n}\n");
        String agent;
        String extra;
        String narrative;
        if (Files.isExecutable(FENCE_DUMMY) && !standInFence) {
            Path power = dir.resolve("power");
            Files.writeString(power, "on"); // fence_dummy compares the whole file: no newline
            agent = "fence_dummy";
            extra = "        status_file: " + power + "\n";
            narrative = "device demo-fence = fence_dummy (fence-agents), a stand-in power switch in " + power;
        } else {
            Path script = dir.resolve("demo-fence");
            Files.writeString(script, FENCE_SCRIPT.replace("@LOG@", dir.resolve("demo-fence.log").toString()));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            agent = script.toString();
            extra = "";
            narrative = "device demo-fence = a built-in stand-in (no fence_dummy installed) that ALWAYS SUCCEEDS "
                    + "without touching anything: never use it for real";
        }
        StringBuilder s = LoopbackConfig.ring("ringctl demo", key, port, NODES)
                .append("crm {\n    plugin: simple\n    config: ").append(resources)
                .append("\n    action-timeout: 20s\n}\n")
                .append("fencing {\n    device {\n        name: demo-fence\n        agent: ").append(agent)
                .append("\n        host_list: n1 n2 n3\n").append(extra)
                .append("        timeout: 20s\n        retries: 0\n    }\n}\n");
        Files.writeString(dir.resolve("ringmaster.conf"), s.toString());
        return narrative;
    }

    /** A fence agent (stdin key=value protocol) that succeeds at everything and logs what it was asked. */
    private static final String FENCE_SCRIPT = """
            #!/bin/sh
            # ringctl demo's stand-in fence agent: it ALWAYS SUCCEEDS without fencing anything. Demo only.
            action=reboot
            plug=
            while IFS= read -r line; do
              case "$line" in
                action=*|option=*) action="${line#*=}" ;;
                plug=*|port=*) plug="${line#*=}" ;;
              esac
            done
            if [ "$action" = metadata ]; then
              cat <<'XML'
            <?xml version="1.0" ?>
            <resource-agent name="demo-fence" shortdesc="ringctl demo: always succeeds, fences nothing">
            <parameters>
            <parameter name="action" unique="0" required="1"><content type="string" default="reboot"/><shortdesc lang="en">Fencing action</shortdesc></parameter>
            <parameter name="plug" unique="0" required="0"><content type="string"/><shortdesc lang="en">Node to fence</shortdesc></parameter>
            <parameter name="port" unique="0" required="0"><content type="string"/><shortdesc lang="en">Node to fence</shortdesc></parameter>
            </parameters>
            <actions>
            <action name="on"/><action name="off"/><action name="reboot"/><action name="status"/><action name="monitor"/><action name="metadata"/>
            </actions>
            </resource-agent>
            XML
              exit 0
            fi
            echo "$(date +%T) demo-fence: $action $plug: pretending it succeeded (demo stand-in)" >> "@LOG@"
            echo "demo stand-in: $action of $plug reported as done without fencing anything"
            exit 0
            """;

    private void start(int i) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms32m", "-Xmx128m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "org.ringmaster.daemon.Ringmasterd", "-c", dir.resolve("ringmaster.conf").toString(), "--node", "n" + i,
                "--socket", socket(i).toString(), "--state-dir", dir.resolve("state").toString()));
        daemons[i] = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("n" + i + ".log").toFile())).start();
    }

    private Path socket(int i) {
        return dir.resolve("n" + i + ".sock");
    }

    /** SIGKILL to the daemon and everything it started: nothing of the node is left to clean up after itself. */
    private void kill(int i) throws InterruptedException {
        List<ProcessHandle> children = daemons[i].descendants().toList();
        daemons[i].destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        daemons[i].waitFor(10, TimeUnit.SECONDS);
        daemons[i] = null;
    }

    private NodeStatus status(int i) {
        try (RingmasterClient c = RingmasterClient.connect(socket(i))) {
            return c.status();
        } catch (IOException e) {
            return null;
        }
    }

    private CrmStatus crm(int i) {
        try (RingmasterClient c = RingmasterClient.connect(socket(i))) {
            CrmStatus s = c.crmStatus();
            return s.running() ? s : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String quorum(NodeStatus s) {
        Map<String, String> f = s.fields();
        return (s.quorate().orElse(false) ? "quorate" : "NOT quorate") + ", " + f.get("total_votes") + " of "
                + f.get("expected_votes") + " votes (needs " + f.get("quorum_votes") + ")";
    }

    /** Polls every 100 ms until {@code step} yields a value (returned) or a minute passes (null, said). */
    private <T> T await(String what, Supplier<T> step) throws InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        long nextNote = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            T v = step.get();
            if (v != null) {
                return v;
            }
            for (int i = 1; i <= NODES; i++) {
                if (daemons[i] != null && !daemons[i].isAlive()) {
                    say("FAILED: ringmasterd n" + i + " exited with code " + daemons[i].exitValue() + " while waiting for "
                            + what + "; see " + dir.resolve("n" + i + ".log"));
                    keep = true;
                    return null;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                say("FAILED: waited " + STEP.toSeconds() + " s for " + what + "; the logs are kept in " + dir);
                keep = true; // leave the evidence
                return null;
            }
            if (System.nanoTime() - nextNote > 0) {
                say("  ... still waiting for " + what);
                nextNote += TimeUnit.SECONDS.toNanos(10);
            }
            Thread.sleep(100); // polling other processes: nothing to wake us
        }
    }

    private void say(String line) {
        out.printf("[%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, line);
        out.flush();
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private void printKeep() {
        say("--keep: the cluster keeps running. Talk to it with, e.g.:");
        for (int i = 1; i <= NODES; i++) {
            if (daemons[i] != null) {
                out.println("    bin/ringctl status --socket " + socket(i));
            }
        }
        out.println("    bin/ringctl resource list --socket " + socket(daemons[1] != null ? 1 : 2));
        out.println("    bin/ringctl mon --socket " + socket(daemons[1] != null ? 1 : 2));
        // The resource manager leaves services running when its daemon stops: their process groups go too.
        List<String> services = new ArrayList<>();
        for (Process d : daemons) {
            if (d != null) {
                d.children().filter(c -> c.info().commandLine().orElse("").contains("/bin/sh -c"))
                        .forEach(c -> services.add("-" + c.pid()));
            }
        }
        out.println("  stop it with: kill " + Arrays.stream(daemons).filter(p -> p != null)
                .map(p -> String.valueOf(p.pid())).collect(Collectors.joining(" "))
                + (services.isEmpty() ? "" : "; kill -- " + String.join(" ", services)) + "; rm -r " + dir);
        out.flush();
    }

    /** Stops every process the demo started (the daemons with SIGTERM, then whatever they left) and deletes dir. */
    private synchronized void cleanUp() {
        if (dir == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>();
        for (int i = 1; i <= NODES; i++) {
            if (daemons[i] != null) {
                all.addAll(daemons[i].descendants().toList());
            }
        }
        int stopped = 0;
        for (int i = 1; i <= NODES; i++) {
            if (daemons[i] != null && daemons[i].isAlive()) {
                daemons[i].destroy();
                stopped++;
            }
        }
        for (int i = 1; i <= NODES; i++) {
            try {
                if (daemons[i] != null && !daemons[i].waitFor(10, TimeUnit.SECONDS)) {
                    daemons[i].destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // The resource manager leaves resources running when its daemon stops (a restart must not bounce them):
        // the demo's service processes go now.
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit().completeOnTimeout(p, 5, TimeUnit.SECONDS).join();
        }
        if (keep) {
            say("the logs are kept in " + dir);
            dir = null;
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            say("could not delete " + dir + ": " + e);
        }
        say("stopped " + stopped + " ringmasterd processes and the service, deleted " + dir);
        dir = null;
    }
}
