package org.ringmaster.daemon.node;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AgentRunner;
import org.assertj.core.api.AbstractThrowableAssert;
import org.ringmaster.daemon.admin.AdminServer;
import org.ringmaster.daemon.admin.ClientPolicy;
import org.ringmaster.daemon.cli.Ringctl;
import org.ringmaster.daemon.config.ClusterConfig;
import org.ringmaster.daemon.config.HostAddress;
import org.ringmaster.daemon.config.LocalNode;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.membership.link.LinkListener;
import org.ringmaster.totem.transport.Transport;

/**
 * Test harness: N nodes of one cluster in this JVM, each with its own ring sockets on
 * 127.0.0.{1..N} (one random port), agent thread and admin socket, built exactly as ringmasterd
 * builds them. Closing stops everything.
 */
public final class LocalCluster implements AutoCloseable {

    /** One running node. */
    public record Node(ClusterNode node, AgentRunner runner, AdminServer admin, PrometheusMeterRegistry registry) {
        public Path socket() {
            return admin.path();
        }
    }

    private final List<Node> nodes = new ArrayList<>();
    private final Map<Integer, String> selfFenced = new ConcurrentHashMap<>();
    private final Path dir;
    private final ClusterConfig config;

    private LocalCluster(Path dir, ClusterConfig config) {
        this.dir = dir;
        this.config = config;
    }

    /** A config text for {@code n} nodes n1..nN on 127.0.0.1..N, votequorum, AES-256-GCM with a key in dir. */
    public static String configText(Path dir, int n, int port) {
        StringBuilder s = new StringBuilder();
        s.append("totem {\n version: 2\n cluster_name: test\n transport: udpu\n token: 500\n token_coefficient: 0\n")
                .append(" consensus: 600\n crypto_cipher: aes256\n crypto_hash: sha256\n keyfile: ")
                .append(dir.resolve("authkey")).append("\n interface {\n  linknumber: 0\n  mcastport: ").append(port)
                .append("\n }\n}\nnodelist {\n");
        for (int i = 1; i <= n; i++) {
            s.append(" node {\n  name: n").append(i).append("\n  nodeid: ").append(i).append("\n  ring0_addr: 127.0.0.")
                    .append(i).append("\n }\n");
        }
        s.append("}\nquorum {\n provider: corosync_votequorum\n}\nlogging {\n to_syslog: no\n}\n");
        return s.toString();
    }

    public static int randomPort() {
        return ThreadLocalRandom.current().nextInt(20000, 40000);
    }

    /**
     * The same cluster on knet with two links: ring0 on 127.0.0.N, ring1 on 127.0.1.N (one port
     * above), so the redundant-link transport runs.
     */
    public static String twoLinkConfigText(Path dir, int n, int port) {
        String text = configText(dir, n, port).replace("transport: udpu", "transport: knet")
                .replace(" interface {\n  linknumber: 0\n  mcastport: " + port + "\n }\n",
                        " interface {\n  linknumber: 0\n  mcastport: " + port + "\n }\n interface {\n  linknumber: 1\n"
                                + "  mcastport: " + (port + 1) + "\n }\n");
        for (int i = 1; i <= n; i++) {
            text = text.replace("  ring0_addr: 127.0.0." + i + "\n", "  ring0_addr: 127.0.0." + i + "\n  ring1_addr: 127.0.1."
                    + i + "\n");
        }
        return text;
    }

    /**
     * {@link #configText} for 3 nodes plus a {@code crm} section with {@code plugin} whose seed configuration
     * (written to dir/resources.conf) has one {@code builtin:dummy} named web, monitored every 500 ms.
     */
    public static String withDummyWeb(Path dir, String plugin, boolean fencingEnabled) throws IOException {
        Path seed = dir.resolve("resources.conf");
        Files.writeString(seed, """
                resources {
                  options {
                    fencing-enabled: %s
                  }
                  primitive {
                    id: web
                    agent: builtin:dummy
                    op: monitor interval=500ms
                  }
                }
                """.formatted(fencingEnabled));
        return configText(dir, 3, randomPort()) + "crm {\n plugin: " + plugin + "\n config: " + seed + "\n}\n";
    }

    /** The state file of node {@code node}'s {@code builtin:dummy} resource web: it exists while web runs there. */
    public static Path dummyState(Path dir, int node) {
        return dir.resolve("state").resolve("agents").resolve(String.valueOf(node)).resolve("dummy-web.state");
    }

    /**
     * Builds node n1 of the cluster {@code text} describes (read as test.conf, with a fresh dir/authkey) and
     * returns an assertion on what its construction threw; fails if it did not throw.
     */
    public static AbstractThrowableAssert<?, ? extends Throwable> assertThatN1Refuses(Path dir, String text)
            throws Exception {
        AuthKey.generate(new SecureRandom(), 256).writeTo(dir.resolve("authkey"), false);
        ClusterConfig config = ClusterConfig.parse("test.conf", text);
        LocalNode local = LocalNode.find(config, Optional.of("n1"), HostAddress.ofThisHost(), LocalNode.SYSTEM_RESOLVER);
        NodeSettings settings = NodeSettings.derive(config, local, dir.resolve("state"));
        Transport transport = RingTransport.open(settings, LinkListener.NONE);
        try {
            return assertThatThrownBy(() -> new ClusterNode(settings, transport, new SimpleMeterRegistry()));
        } finally {
            transport.close();
        }
    }

    /** Runs {@code ringctl verb --socket=socket rest...}; returns the exit code, stdout and stderr. */
    public static String[] ringctl(Path socket, String... words) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[words.length + 1];
        args[0] = words[0];
        args[1] = "--socket=" + socket;
        System.arraycopy(words, 1, args, 2, words.length - 1);
        int code = Ringctl.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    /** Starts {@code n} nodes; files (key, state, sockets) go under {@code dir}. */
    public static LocalCluster start(Path dir, int n) throws Exception {
        return start(dir, n, configText(dir, n, randomPort()));
    }

    /** Starts {@code n} nodes of the cluster {@code text} describes (its keyfile must be dir/authkey). */
    public static LocalCluster start(Path dir, int n, String text) throws Exception {
        AuthKey.generate(new SecureRandom(), 256).writeTo(dir.resolve("authkey"), false);
        ClusterConfig config = ClusterConfig.parse("test.conf", text);
        LocalCluster cluster = new LocalCluster(dir, config);
        try {
            for (int i = 1; i <= n; i++) {
                cluster.startNode(i);
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts node {@code i} (again). */
    public Node startNode(int i) throws Exception {
        LocalNode local = LocalNode.find(config, Optional.of("n" + i), HostAddress.ofThisHost(), LocalNode.SYSTEM_RESOLVER);
        NodeSettings settings = NodeSettings.derive(config, local, dir.resolve("state"));
        RingTransport.Opened opened = RingTransport.openLinks(settings, LinkListener.NONE);
        // The daemon's registry kind, so that every meter is known to be acceptable to Prometheus.
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // A node that must fence itself (poison pill) stops like a crash instead of ending this JVM.
        ClusterNode node = new ClusterNode(settings, opened.transport(), opened.redundant().orElse(null), registry,
                (action, reason) -> {
                    selfFenced.put(i, action + ": " + reason);
                    Thread stop = new Thread(() -> {
                        try {
                            stop(i, false);
                        } catch (InterruptedException | RuntimeException e) {
                            e.printStackTrace();
                        }
                    }, "self-fence-n" + i);
                    stop.setDaemon(true);
                    stop.start();
                });
        AgentRunner runner = new AgentRunner(node.idleStrategy(), Throwable::printStackTrace, null, node);
        AgentRunner.startOnThread(runner);
        AdminServer admin;
        try {
            admin = AdminServer.start(dir.resolve("n" + i + ".sock"), node, registry,
                    new ClientPolicy(System.getProperty("user.name"), Optional.empty()));
        } catch (Exception e) {
            runner.close();
            throw e;
        }
        Node started = new Node(node, runner, admin, registry);
        nodes.add(started);
        return started;
    }

    /** How node {@code i} fenced itself (action and reason), if it did. */
    public Optional<String> selfFenced(int i) {
        return Optional.ofNullable(selfFenced.get(i));
    }

    public Node node(int i) {
        return nodes.stream().filter(n -> n.node().settings().nodeId() == i && !n.runner().isClosed()).findFirst()
                .orElseThrow();
    }

    /** Stops node {@code i}: a clean leave if {@code leave}, else just stops (like a crash). */
    public void stop(int i, boolean leave) throws InterruptedException {
        Node n = node(i);
        if (leave) {
            n.node().requestLeave();
            n.node().awaitLeft(2, TimeUnit.SECONDS);
        }
        n.runner().close();
        n.admin().close();
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.runner().close();
            n.admin().close();
        }
    }
}
