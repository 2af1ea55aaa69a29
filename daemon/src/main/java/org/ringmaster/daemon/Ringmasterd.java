package org.ringmaster.daemon;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AgentRunner;
import org.ringmaster.daemon.admin.AdminServer;
import org.ringmaster.daemon.admin.ClientPolicy;
import org.ringmaster.daemon.config.ClusterConfig;
import org.ringmaster.daemon.config.ConfigException;
import org.ringmaster.daemon.config.Diagnostic;
import org.ringmaster.daemon.config.HostAddress;
import org.ringmaster.daemon.config.LocalNode;
import org.ringmaster.daemon.config.LocalNodeException;
import org.ringmaster.daemon.metrics.PrometheusEndpoint;
import org.ringmaster.daemon.node.ClusterNode;
import org.ringmaster.daemon.node.NodeSettings;
import org.ringmaster.daemon.node.RingTransport;
import org.ringmaster.daemon.node.StartupException;
import org.ringmaster.totem.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringmasterd}: one cluster node in the foreground, for systemd or a terminal. Reads the
 * configuration, finds the local node, opens the ring's sockets, runs Totem membership and
 * votequorum on an Agrona agent thread, serves the admin socket, and on SIGTERM announces a clean
 * leave before exiting (the JVM then exits with 143, 128 + SIGTERM: the unit file lists it as
 * success).
 */
@Command(name = "ringmasterd", mixinStandardHelpOptions = true, versionProvider = Ringmasterd.Version.class,
        description = "Run one Ringmaster cluster node in the foreground.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:--help or --version",
            "1:the configuration is invalid or the node cannot start (the message says why)",
            "2:bad command line",
            "3:unexpected internal error (including a fatal error in the ring)",
            "4:the node fenced itself (no-quorum-policy fence in a partition without quorum); restart it to rejoin",
            "143:stopped by SIGTERM after leaving the ring cleanly"})
public final class Ringmasterd implements Callable<Integer> {

    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int INTERNAL = 3;
    public static final int SELF_FENCED = 4;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "/etc/ringmaster/ringmaster.conf",
            description = "configuration in corosync.conf syntax (default: ${DEFAULT-VALUE})")
    private Path configFile;

    @Option(names = "--node", paramLabel = "NAME|ID",
            description = "this node, where several nodes of the nodelist have addresses on this host")
    private String nodeOption;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "the admin socket (default: " + "/run/ringmaster/ringmasterd.sock" + ")")
    private Path socket;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "where state is kept (default: system.state_dir, else /var/lib/ringmaster)")
    private Path stateDirOption;

    @Option(names = "--socket-group", paramLabel = "GROUP",
            description = "let members of this group use the admin socket (mode 0660); default: root only (0600)")
    private String socketGroup;

    private final PrintWriter err;
    /** The logging section as applied; replaced by a config reload. */
    private volatile DaemonLogging logging;

    private Ringmasterd(PrintWriter err) {
        this.err = err;
    }

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        CommandLine cl = new CommandLine(new Ringmasterd(err));
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("ringmasterd: internal error: " + e);
            e.printStackTrace(err);
            return INTERNAL;
        });
        int code = cl.execute(args);
        if (code != 0) {
            System.exit(code);
        }
        // Started: the agent thread keeps the JVM alive until SIGTERM.
    }

    @Override
    public Integer call() throws Exception {
        ClusterConfig config;
        try {
            config = ClusterConfig.load(configFile);
        } catch (ConfigException e) {
            e.diagnostics().forEach(d -> err.println("ringmasterd: " + d));
            err.println("ringmasterd: " + configFile + " is invalid (" + e.errors().size() + " error"
                    + (e.errors().size() == 1 ? "" : "s") + "); nothing started");
            return FAILED;
        }
        logging = DaemonLogging.configure(config.logging());
        Logger log = LoggerFactory.getLogger(Ringmasterd.class);
        logging.notes().forEach(log::warn);
        logging.syslogTarget().ifPresent(t -> log.info("logging to syslog at {}", t));
        for (Diagnostic d : config.warnings()) {
            log.warn("{}", d);
        }
        try {
            start(config, log);
            return 0;
        } catch (StartupException e) {
            log.error("cannot start: {}", e.getMessage());
            err.println("ringmasterd: cannot start: " + e.getMessage());
            return FAILED;
        }
    }

    private void start(ClusterConfig config, Logger log) throws StartupException {
        LocalNode local;
        try {
            local = LocalNode.find(config, Optional.ofNullable(nodeOption), HostAddress.ofThisHost(),
                    LocalNode.SYSTEM_RESOLVER);
        } catch (LocalNodeException | SocketException e) {
            throw new StartupException("local node: " + e.getMessage(), e);
        }
        Path stateDir = stateDirOption != null ? stateDirOption
                : config.system().stateDir().map(Path::of).orElse(NodeSettings.DEFAULT_STATE_DIR);
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new StartupException("--state-dir " + stateDir + ": cannot create it: " + e, e);
        }
        NodeSettings settings = NodeSettings.derive(config, local, stateDir);
        FileLock lock = lockNode(stateDir, settings.nodeId());
        settings.notes().forEach(log::warn);
        log.info("node {} ({}) at {}, cluster {}, transport {}, {} nodes, token {} ms, consensus {} ms, state {}",
                settings.nodeId(), settings.nameOf(settings.nodeId()), local.address().getHostAddress(),
                config.totem().clusterName().orElse("(unnamed)"), config.totem().transport().configName(),
                config.nodes().size(), config.totem().effectiveTokenMs(), config.totem().consensusMs(), stateDir);
        log.info("netmtu {}: {}", settings.netmtu(), settings.netmtuReason());
        MemoryLock.Outcome memory = MemoryLock.lock();
        if (memory.locked()) {
            log.info(memory.message());
        } else {
            log.warn(memory.message());
        }

        RingTransport.Opened opened = RingTransport.openLinks(settings, (node, link, state) ->
                log.info("link {} to node {} is {}", link, node, state));
        Transport transport = opened.transport();
        // One registry for 'ringctl metrics' and the Prometheus endpoint alike.
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ClusterNode node;
        try {
            node = new ClusterNode(settings, transport, opened.redundant().orElse(null), registry);
        } catch (IllegalArgumentException e) {
            transport.close();
            // The fencer's and the quorum device's errors already name their section; the rest come from crm.
            String m = e.getMessage();
            throw new StartupException(m != null && (m.startsWith("fencing: ") || m.startsWith("quorum.device"))
                    ? m : "crm: " + m, e);
        }
        AgentRunner runner = new AgentRunner(node.idleStrategy(), e -> fatal(log, e), null, node);
        node.onSelfFenced(() -> {
            log.error("the node fenced itself; exiting with code {} so that the service manager restarts it", SELF_FENCED);
            // Not on the agent thread: the shutdown hook waits for that thread.
            new Thread(() -> System.exit(SELF_FENCED), "ringmaster-self-fenced").start();
        });
        AgentRunner.startOnThread(runner);

        AdminServer admin;
        PrometheusEndpoint prometheus = null;
        try {
            if (config.metrics().enabled()) {
                prometheus = PrometheusEndpoint.start(config.metrics(), registry);
            }
            admin = AdminServer.start(socket != null ? socket : NodeSettings.DEFAULT_SOCKET, node, registry,
                    new ClientPolicy(System.getProperty("user.name"), Optional.ofNullable(socketGroup)));
        } catch (StartupException e) {
            if (prometheus != null) {
                prometheus.close();
            }
            node.requestLeave();
            awaitLeft(node);
            runner.close();
            throw e;
        }
        node.configSource(configFile, next -> {
            synchronized (this) {
                logging = logging.replace(next);
                return logging.notes();
            }
        });
        PrometheusEndpoint metricsEndpoint = prometheus;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: announcing leave");
            node.requestLeave();
            boolean leftCleanly = awaitLeft(node);
            runner.close();
            admin.close();
            if (metricsEndpoint != null) {
                metricsEndpoint.close();
            }
            try {
                lock.release();
                lock.channel().close();
            } catch (IOException e) {
                log.debug("releasing the node lock", e);
            }
            log.info(leftCleanly ? "left the ring; stopped" : "stopped (the leave was not confirmed in time)");
            logging.close();
        }, "ringmaster-shutdown"));
        log.info("started");
    }

    private static boolean awaitLeft(ClusterNode node) {
        try {
            return node.awaitLeft(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One daemon per node id and state dir: a second one would reuse ring seqs and fight for the port. */
    private static FileLock lockNode(Path stateDir, int nodeId) throws StartupException {
        Path file = stateDir.resolve("ringmasterd." + nodeId + ".lock");
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new StartupException("node " + nodeId + " is already running with state dir " + stateDir
                        + " (" + file + " is locked)");
            }
            return lock;
        } catch (IOException e) {
            throw new StartupException("--state-dir " + stateDir + ": cannot lock " + file + ": " + e, e);
        }
    }

    /** An exception inside the ring's duty cycle: the node's state can no longer be trusted. */
    private static void fatal(Logger log, Throwable e) {
        log.error("fatal error in the ring's agent; exiting so that the service manager restarts the node", e);
        // Not on the agent thread: the shutdown hook waits for that thread.
        Thread exit = new Thread(() -> System.exit(INTERNAL), "ringmaster-fatal");
        exit.start();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Ringmasterd.class.getPackage().getImplementationVersion();
            return new String[] {"ringmasterd " + (v == null ? "(development build)" : v)};
        }
    }
}
