package org.ringmaster.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.ringmaster.daemon.client.NodeStatus;
import org.ringmaster.daemon.client.RingmasterClient;
import org.ringmaster.totem.security.AuthKey;

/**
 * Real {@code ringmasterd} processes, started through {@code bin/ringmasterd} from this checkout,
 * on 127.0.0.1..N with one random port, a generated authkey (AES-256-GCM) and everything in one
 * directory. {@link #close()} kills whatever still runs; the caller deletes the directory.
 */
final class DaemonCluster implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("ringmaster.root", "..")).toAbsolutePath().normalize();
    static final Path RINGMASTERD = ROOT.resolve("bin/ringmasterd");
    static final Path RINGCTL = ROOT.resolve("bin/ringctl");

    private final Path dir;
    private final Map<Integer, Path> configs;
    private final int size;
    private final int port;
    private final Map<Integer, Process> processes = new TreeMap<>();

    private DaemonCluster(Path dir, Map<Integer, Path> configs, int size, int port) {
        this.dir = dir;
        this.configs = configs;
        this.size = size;
        this.port = port;
    }

    /** Writes the key and config for {@code n} nodes (token 1000 ms, consensus 1200 ms); starts nothing. */
    static DaemonCluster create(Path dir, int n) throws IOException {
        return create(dir, n, (self, node) -> "127.0.0." + node, self -> "");
    }

    /**
     * One config file per node, for tests that put something between the nodes or give each node its
     * own device settings.
     *
     * @param addressOf  (local node, node) to the ring0_addr the local node's file gives that node: its own
     *                   address for itself, e.g. a relay's address for the others
     * @param quorumBody extra lines inside the quorum section of each node's file (e.g. a device section)
     */
    static DaemonCluster create(Path dir, int n, java.util.function.BiFunction<Integer, Integer, String> addressOf,
                                java.util.function.IntFunction<String> quorumBody) throws IOException {
        Path key = dir.resolve("authkey");
        AuthKey.generate(new SecureRandom(), 256).writeTo(key, false);
        int port = ThreadLocalRandom.current().nextInt(20000, 40000);
        Map<Integer, Path> configs = new TreeMap<>();
        for (int self = 1; self <= n; self++) {
            StringBuilder s = new StringBuilder();
            s.append("totem {\n    version: 2\n    cluster_name: it\n    transport: udpu\n    token: 1000\n")
                    .append("    token_coefficient: 0\n    consensus: 1200\n    crypto_cipher: aes256\n")
                    .append("    crypto_hash: sha256\n    keyfile: ").append(key).append('\n')
                    .append("    interface {\n        linknumber: 0\n        mcastport: ").append(port)
                    .append("\n    }\n}\nnodelist {\n");
            for (int i = 1; i <= n; i++) {
                s.append("    node {\n        name: n").append(i).append("\n        nodeid: ").append(i)
                        .append("\n        ring0_addr: ").append(addressOf.apply(self, i)).append("\n    }\n");
            }
            s.append("}\nquorum {\n    provider: corosync_votequorum\n").append(quorumBody.apply(self))
                    .append("}\nlogging {\n    to_syslog: no\n}\n");
            String text = s.toString();
            Path config = dir.resolve("ringmaster.conf");
            if (self > 1 && !text.equals(Files.readString(config))) {
                config = dir.resolve("ringmaster-n" + self + ".conf");
            }
            if (self == 1 || !config.equals(dir.resolve("ringmaster.conf"))) {
                Files.writeString(config, text);
            }
            configs.put(self, config);
        }
        return new DaemonCluster(dir, configs, n, port);
    }

    /** Node 1's config file (the one every node uses unless they differ). */
    Path config() {
        return configs.get(1);
    }

    /** The UDP port every node's ring uses. */
    int port() {
        return port;
    }

    Path socket(int i) {
        return dir.resolve("n" + i + ".sock");
    }

    Path log(int i) {
        return dir.resolve("n" + i + ".log");
    }

    /** Starts node {@code i} (appending to its log), with extra ringmasterd options. */
    Process start(int i, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("-c", configs.get(i).toString(), "--node", "n" + i, "--socket",
                socket(i).toString(), "--state-dir", dir.resolve("state").toString()));
        args.addAll(List.of(options));
        Process p = launch(log(i), RINGMASTERD, args.toArray(new String[0]));
        processes.put(i, p);
        return p;
    }

    void startAll() throws IOException {
        for (int i = 1; i <= size; i++) {
            start(i);
        }
    }

    Process process(int i) {
        return processes.get(i);
    }

    /**
     * SIGKILL to node {@code i}'s daemon and to everything it started (resource processes): the machine dies.
     */
    void killMachine(int i) throws InterruptedException {
        Process p = processes.get(i);
        java.util.List<ProcessHandle> children = p.descendants().toList();
        kill9(i);
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** SIGKILL: the node vanishes without a word. */
    void kill9(int i) throws InterruptedException {
        Process p = processes.remove(i);
        p.destroyForcibly();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("node %d killed", i).isTrue();
    }

    /** SIGTERM: the node announces its leave; returns its exit code. */
    int terminate(int i) throws InterruptedException {
        Process p = processes.remove(i);
        p.destroy();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("node %d stopped after SIGTERM", i).isTrue();
        return p.exitValue();
    }

    /** Node {@code i}'s status through the client library, or null while it cannot answer. */
    NodeStatus status(int i) {
        try (RingmasterClient c = RingmasterClient.connect(socket(i))) {
            return c.status();
        } catch (IOException e) {
            return null;
        }
    }

    /** Appends sections (e.g. {@code crm}, {@code fencing}) to every node's configuration; before starting nodes. */
    void appendConfig(String text) throws IOException {
        for (Path config : new java.util.TreeSet<>(configs.values())) {
            Files.writeString(config, text, java.nio.file.StandardOpenOption.APPEND);
        }
    }

    /** Runs a launcher script to completion (60 s at most); output and errors go to {@code out}. */
    static Result run(Path out, Path script, String... args) throws IOException, InterruptedException {
        return run(60, out, script, args);
    }

    /** Runs a launcher script to completion ({@code seconds} at most); output and errors go to {@code out}. */
    static Result run(int seconds, Path out, Path script, String... args) throws IOException, InterruptedException {
        Process p = launch(out, script, args);
        try {
            assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).as("%s finished", script.getFileName()).isTrue();
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /** {@code bin/ringctl ARGS --socket <node i's socket>}. */
    Result ringctl(int i, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--socket");
        all.add(socket(i).toString());
        Path out = dir.resolve("ringctl-" + System.nanoTime() + ".out");
        try {
            return run(out, RINGCTL, all.toArray(new String[0]));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    record Result(int code, String output) {
    }

    private static Process launch(Path out, Path script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        pb.environment().put("JAVA", ProcessHandle.current().info().command().orElse("java"));
        return pb.start();
    }

    /** Every node's log, for a failure report. */
    String logs() {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= size; i++) {
            try {
                s.append("---- n").append(i).append(".log\n").append(Files.readString(log(i)));
            } catch (IOException e) {
                s.append("---- n").append(i).append(".log: ").append(e).append('\n');
            }
        }
        return s.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes.values()) {
            // resource processes the daemons started (the CRM leaves them running when its daemon stops)
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes.values()) {
            p.waitFor(20, TimeUnit.SECONDS);
        }
        processes.clear();
    }
}
