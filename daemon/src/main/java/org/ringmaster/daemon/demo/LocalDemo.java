package org.ringmaster.daemon.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.ringmaster.daemon.client.ClientException;
import org.ringmaster.daemon.client.ClusterListener;
import org.ringmaster.daemon.client.Configuration;
import org.ringmaster.daemon.client.NodeStatus;
import org.ringmaster.daemon.client.RingmasterClient;
import org.ringmaster.membership.group.GroupMember;
import org.ringmaster.totem.security.AuthKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The local demo ({@code bin/ringmaster-demo}): three {@code ringmasterd} processes on 127.0.0.1,
 * 127.0.0.2 and 127.0.0.3 (one port, AES-256-GCM with a generated key, everything in a temporary
 * directory). A client of each node joins the process group {@code demo} through the admin socket
 * and multicasts to it as fast as the node takes messages;
 * every second the demo prints what each node delivered. After 10 s node 3 is killed with
 * SIGKILL, and 6 s later started again, so the membership changes show. Ctrl-C (or
 * {@code --duration}) stops every process and deletes the directory.
 */
@Command(name = "ringmaster-demo", mixinStandardHelpOptions = true,
        description = "Run a local 3-node cluster of ringmasterd processes and show it working.")
public final class LocalDemo implements Callable<Integer> {

    private static final int NODES = 3;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "stop after this long (default: until Ctrl-C)")
    private int duration;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "100", description = "message size (default: ${DEFAULT-VALUE})")
    private int size;

    @Option(names = "--no-faults", description = "do not kill and restart node 3")
    private boolean noFaults;

    @Option(names = "--port", paramLabel = "PORT", description = "the ring's UDP port (default: a random one)")
    private int port;

    @Option(names = "--keep-dir", description = "keep the temporary directory (configuration, key, logs)")
    private boolean keepDir;

    private final PrintStream out = System.out;
    private final Process[] processes = new Process[NODES + 1];
    private final AtomicLong[] delivered = new AtomicLong[NODES + 1];
    private final List<RingmasterClient> clients = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private Path dir;
    private Path config;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalDemo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        dir = Files.createTempDirectory("ringmaster-demo-");
        Thread cleanup = new Thread(this::cleanUp, "ringmaster-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        for (int i = 0; i <= NODES; i++) {
            delivered[i] = new AtomicLong();
        }
        writeConfig();
        out.println("ringmaster demo: 3 ringmasterd processes on 127.0.0.1-3 port " + port
                + ", AES-256-GCM, files in " + dir);
        out.println("Ctrl-C stops everything and deletes that directory.");
        for (int i = 1; i <= NODES; i++) {
            start(i);
        }
        for (int i = 1; i <= NODES; i++) {
            attach(i);
        }
        long started = System.nanoTime();
        long[] last = new long[NODES + 1];
        boolean killed = false;
        boolean restarted = false;
        for (int second = 1; duration == 0 || second <= duration; second++) {
            LockSupport.parkNanos(started + TimeUnit.SECONDS.toNanos(second) - System.nanoTime());
            StringBuilder line = new StringBuilder(String.format("%4ds ", second));
            for (int i = 1; i <= NODES; i++) {
                long now = delivered[i].get();
                line.append(String.format(" n%d %,8d msg/s", i, now - last[i]));
                last[i] = now;
            }
            out.println(line);
            if (!noFaults && !killed && second == 10) {
                killed = true;
                out.println("      killing node 3 with SIGKILL: nodes 1 and 2 detect it by token loss");
                processes[3].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (!noFaults && killed && !restarted && second == 16) {
                restarted = true;
                out.println("      starting node 3 again: it rejoins and the ring merges");
                start(3);
                attachLater(3);
            }
        }
        return 0;
    }

    private void writeConfig() throws IOException {
        if (port == 0) {
            port = ThreadLocalRandom.current().nextInt(20000, 40000);
        }
        Path key = dir.resolve("authkey");
        AuthKey.generate(new SecureRandom(), AuthKey.DEFAULT_BYTES).writeTo(key, false);
        StringBuilder s = LoopbackConfig.ring("ringmaster-demo", key, port, NODES);
        config = dir.resolve("ringmaster.conf");
        Files.writeString(config, s.toString());
    }

    private void start(int i) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms64m", "-Xmx128m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "org.ringmaster.daemon.Ringmasterd", "-c", config.toString(), "--node", "n" + i,
                "--socket", socket(i).toString(), "--state-dir", dir.resolve("state").toString()));
        processes[i] = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("n" + i + ".log").toFile())).start();
    }

    private Path socket(int i) {
        return dir.resolve("n" + i + ".sock");
    }

    private void attachLater(int i) {
        Thread t = new Thread(() -> {
            try {
                attach(i);
            } catch (IOException | InterruptedException e) {
                out.println("      n" + i + ": " + e.getMessage());
            }
        }, "ringmaster-demo-attach");
        t.setDaemon(true);
        t.start();
    }

    /** Connects to node i (waiting for its socket), prints its configurations, joins the group, counts and sends. */
    private void attach(int i) throws IOException, InterruptedException {
        RingmasterClient client = connect(i, new ClusterListener() {
            @Override
            public void onConfiguration(Configuration c) {
                if (c.regular()) {
                    out.println("      n" + i + ": configuration " + Arrays.toString(c.members()) + " (ring "
                            + c.ringSeq() + "/" + c.rep() + ", " + c.reason().toLowerCase().replace('_', ' ')
                            + (c.left().length > 0 ? ", left " + Arrays.toString(c.left()) : "") + ")");
                }
            }

            @Override
            public void onMessage(String group, GroupMember sender, byte[] payload) {
                delivered[i].incrementAndGet();
            }

            @Override
            public void onDisconnect(IOException cause) {
                if (!stopping.get() && processes[i].isAlive()) {
                    out.println("      n" + i + ": the demo's client was disconnected: " + cause.getMessage());
                }
            }
        });
        synchronized (clients) {
            clients.add(client);
        }
        client.subscribe();
        NodeStatus now = client.status();
        out.println("      n" + i + ": configuration " + Arrays.toString(now.members()) + " (ring " + now.ringSeq() + "/"
                + now.ringRep() + ", current)");
        client.join("demo");
        Thread t = new Thread(() -> send(client), "ringmaster-demo-sender-" + i);
        t.setDaemon(true);
        t.start();
    }

    private RingmasterClient connect(int i, ClusterListener listener) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return RingmasterClient.connect(socket(i), listener);
            } catch (IOException e) {
                if (System.nanoTime() > deadline || stopping.get() || !processes[i].isAlive()) {
                    throw new IOException("node " + i + " did not start; see " + dir.resolve("n" + i + ".log"), e);
                }
                Thread.sleep(100); // Waiting for another process to create its socket: nothing to wake us.
            }
        }
    }

    private void send(RingmasterClient sender) {
        byte[] payload = "x".repeat(Math.max(0, size)).getBytes(StandardCharsets.US_ASCII);
        while (!stopping.get()) {
            try {
                if (!sender.send("demo", payload)) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            } catch (ClientException e) {
                if (e.getMessage() == null || !e.getMessage().contains("cannot multicast while JOINING")) {
                    return; // The node went away (killed by the demo, or stopping).
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // Joined once the ring has formed.
            } catch (IOException e) {
                return;
            }
        }
    }

    private void cleanUp() {
        stopping.set(true);
        synchronized (clients) {
            for (RingmasterClient c : clients) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // Closing anyway.
                }
            }
        }
        for (Process p : processes) {
            if (p != null) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            try {
                if (p != null && !p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (dir == null) {
            return;
        }
        if (keepDir) {
            out.println("stopped; kept " + dir);
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            out.println("could not delete " + dir + ": " + e);
        }
        out.println("stopped all nodes and deleted " + dir);
    }
}
