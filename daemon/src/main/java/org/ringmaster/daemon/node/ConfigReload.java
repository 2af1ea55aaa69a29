package org.ringmaster.daemon.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.crm.api.ClusterResourceManager;
import org.ringmaster.crm.simple.run.CommandResult;
import org.ringmaster.crm.simple.run.SimpleCrm;
import org.ringmaster.daemon.config.ClusterConfig;
import org.ringmaster.daemon.config.ConfigEntry;
import org.ringmaster.daemon.config.ConfigException;
import org.ringmaster.daemon.config.ConfigSection;
import org.ringmaster.daemon.config.CorosyncConfParser;
import org.ringmaster.daemon.config.LoggingConfig;
import org.ringmaster.membership.EvsChannel;
import org.ringmaster.totem.Guarantee;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ringctl config reload} (like {@code corosync-cfgtool -R}): the node asked multicasts a
 * reload request in total order on the node's own sub-channel; every member, on delivering it,
 * re-reads its own configuration file, compares it key by key with what it runs, applies what is
 * safe and multicasts a report; the asking node collects one report per member of the
 * configuration in which the request was delivered.
 *
 * <p>Applied while running: the {@code logging} section (each node); {@code quorum.expected_votes}
 * and a node's {@code quorum_votes} (through votequorum's own ordered messages, sent once, by the
 * node asked); the CRM's resources when the file its {@code crm.config} names changed (loaded once,
 * by the node asked, and replicated by the CRM). Everything else (totem timing, transport,
 * crypto, the node list, other sections) is reported as needing a restart and keeps running as it
 * was. A file that does not validate changes nothing and its errors are reported.
 *
 * <p>Threads: messages arrive on the agent thread; the reading and applying run on one reload
 * thread; quorum changes are handed back to the agent thread.
 */
final class ConfigReload implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);
    private static final byte REQUEST = 'R';
    private static final byte REPORT = 'A';
    private static final Pattern NODE_KEY = Pattern.compile("nodelist\\.node\\[nodeid=(\\d+)]\\.(.+)");
    private static final int MAX_REPORT_BYTES = 32 * 1024;

    private final ClusterNode node;
    private final EvsChannel channel;
    private final AtomicLong nextRequest = new AtomicLong();
    private final Map<Long, ReloadRequest> pending = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ringmaster-config-reload");
        t.setDaemon(true);
        return t;
    });

    /** The file and what of it runs; set by the daemon ({@link #source}), else reload reports that. */
    private volatile Path file;
    private volatile Function<LoggingConfig, List<String>> logging;
    private Map<String, String> running;
    private String crmText;

    ConfigReload(ClusterNode node, EvsChannel channel) {
        this.node = node;
        this.channel = channel;
    }

    /** The file this node was started from, and how to apply a new logging section (returns notes). */
    void source(Path configFile, Function<LoggingConfig, List<String>> applyLogging) {
        worker.execute(() -> {
            try {
                running = flatten(CorosyncConfParser.parse(configFile).root());
            } catch (ConfigException e) {
                running = Map.of();
            }
            crmText = crmFile().map(ConfigReload::readOrNull).orElse(null);
            file = configFile;
            logging = applyLogging;
        });
    }

    /** Starts a cluster-wide reload; completes with each member's report by node id. Any thread. */
    ReloadRequest request() {
        long id = ((long) node.settings().nodeId() << 32) | nextRequest.incrementAndGet();
        CompletableFuture<Map<Integer, String>> done = new CompletableFuture<>();
        ReloadRequest request = new ReloadRequest(done, new ConcurrentHashMap<>(), ConcurrentHashMap.newKeySet());
        pending.put(id, request);
        UnsafeBuffer b = new UnsafeBuffer(new byte[9]);
        b.putByte(0, REQUEST);
        b.putLong(1, id);
        if (!offer(b, 9)) {
            pending.remove(id);
            done.completeExceptionally(new IllegalStateException("the ring's send queue is full; try again"));
        }
        done.whenComplete((r, e) -> pending.remove(id));
        return request;
    }

    /** A message of the node's own sub-channel; false if it is not a reload message. Agent thread. */
    boolean onMessage(int sender, DirectBuffer buffer, int offset, int length) {
        if (length < 9) {
            return false;
        }
        byte type = buffer.getByte(offset);
        long id = buffer.getLong(offset + 1);
        if (type == REQUEST && length == 9) {
            boolean origin = (int) (id >>> 32) == node.settings().nodeId() && sender == node.settings().nodeId();
            ReloadRequest p = pending.get(id);
            if (p != null) {
                Arrays.stream(node.view().members()).forEach(p.expected()::add);
            }
            worker.execute(() -> answer(id, origin));
            return true;
        }
        if (type == REPORT) {
            ReloadRequest p = pending.get(id);
            if (p != null) {
                byte[] text = new byte[length - 9];
                buffer.getBytes(offset + 9, text);
                p.received().put(sender, new String(text, StandardCharsets.UTF_8));
                if (!p.expected().isEmpty() && p.received().keySet().containsAll(p.expected())) {
                    p.reports().complete(new TreeMap<>(p.received()));
                }
            }
            return true;
        }
        return false;
    }

    private void answer(long id, boolean origin) {
        String report;
        try {
            report = reload(origin);
        } catch (RuntimeException e) {
            LOG.warn("config reload failed", e);
            report = "failed: " + e;
        }
        LOG.info("config reload: {}", report.replace("\n", "; "));
        byte[] text = report.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(text.length, Math.min(MAX_REPORT_BYTES, channel.maxMessageSize() - 9));
        UnsafeBuffer b = new UnsafeBuffer(new byte[9 + n]);
        b.putByte(0, REPORT);
        b.putLong(1, id);
        b.putBytes(9, text, 0, n);
        for (int tries = 0; tries < 100 && !offer(b, 9 + n); tries++) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private boolean offer(UnsafeBuffer b, int length) {
        return channel.offer(b, 0, length, Guarantee.AGREED);
    }

    /** Re-reads the file, applies what is safe, and says what happened (one line per change). */
    private String reload(boolean origin) {
        Path f = file;
        if (f == null) {
            return "not reloaded: this node was not started from a configuration file";
        }
        ClusterConfig config;
        Map<String, String> now;
        try {
            config = ClusterConfig.load(f);
            now = flatten(CorosyncConfParser.parse(f).root());
        } catch (ConfigException e) {
            return "not reloaded: " + f + " is invalid, nothing changed: " + e.errors().get(0)
                    + (e.errors().size() > 1 ? " (and " + (e.errors().size() - 1) + " more errors)" : "");
        }
        List<String> lines = new ArrayList<>();
        Map<String, String> next = new TreeMap<>(now);
        Set<String> keys = new TreeSet<>(running.keySet());
        keys.addAll(now.keySet());
        boolean loggingChanged = false;
        for (String key : keys) {
            String before = running.get(key);
            String after = now.get(key);
            if (java.util.Objects.equals(before, after)) {
                continue;
            }
            String change = key + ": " + (before == null ? "(unset)" : before) + " -> " + (after == null ? "(unset)" : after);
            String applied = null;
            if (key.startsWith("logging.")) {
                loggingChanged = true;
                applied = "applied: " + change;
            } else if (key.equals("quorum.expected_votes") && after != null) {
                applied = quorum(origin, change, () -> node.quorumVotes().setExpectedVotes(Integer.parseInt(after)));
            } else if (nodeVotes(key, before, after)) {
                int id = Integer.parseInt(nodeIdOf(key));
                applied = quorum(origin, change, () -> node.quorumVotes().setVotes(id, Integer.parseInt(after)));
            } else if (key.startsWith("resources.") && isCrmFile(f)) {
                applied = "applied: " + change + " (through the CRM's configuration, below)";
            }
            if (applied != null && !applied.startsWith("failed")) {
                lines.add(applied);
            } else {
                lines.add(applied != null ? applied : "restart needed: " + change + " (" + whyRestart(key) + ")");
                // Keep what runs: the next reload compares against it again.
                if (before == null) {
                    next.remove(key);
                } else {
                    next.put(key, before);
                }
            }
        }
        if (loggingChanged) {
            Function<LoggingConfig, List<String>> l = logging;
            List<String> notes = l == null ? List.of() : l.apply(config.logging());
            notes.forEach(n -> lines.add("logging: " + n));
        }
        crm(origin, lines);
        running = next;
        if (lines.isEmpty()) {
            return "reloaded " + f + ": no changes";
        }
        return "reloaded " + f + ":\n" + String.join("\n", lines);
    }

    private String quorum(boolean origin, String change, Runnable action) {
        if (!node.hasQuorum()) {
            return "restart needed: " + change + " (quorum is not configured on the running node)";
        }
        if (!origin) {
            return "applied: " + change + " (cluster-wide, by the node asked)";
        }
        try {
            node.onAgentThread(action).get(5, TimeUnit.SECONDS);
            return "applied: " + change + " (cluster-wide)";
        } catch (java.util.concurrent.ExecutionException e) {
            return "failed: " + change + ": " + e.getCause().getMessage();
        } catch (Exception e) {
            return "failed: " + change + ": " + e;
        }
    }

    /** The CRM's resources file changed: load it once, from the node asked; the CRM replicates it. */
    private void crm(boolean origin, List<String> lines) {
        Optional<Path> crmFile = crmFile();
        Optional<ClusterResourceManager> crm = node.crm();
        if (crmFile.isEmpty() || crm.isEmpty()) {
            return;
        }
        String text = readOrNull(crmFile.get());
        if (text == null || text.equals(crmText)) {
            return;
        }
        crmText = text;
        if (!origin) {
            lines.add("applied: resources from " + crmFile.get() + " (loaded cluster-wide by the node asked)");
            return;
        }
        if (!(crm.get() instanceof SimpleCrm simple)) {
            lines.add("restart needed: resources in " + crmFile.get() + " (the running CRM plugin cannot load them)");
            return;
        }
        try {
            CommandResult r = simple.submit(List.of("config", "load", crmFile.get().toString().endsWith(".xml")
                    ? "cib" : "native", text)).get(15, TimeUnit.SECONDS);
            lines.add((r.exitCode() == 0 ? "applied: resources from " : "failed: resources from ") + crmFile.get()
                    + " (" + r.text().strip().replace('\n', ' ') + ")");
        } catch (Exception e) {
            lines.add("failed: resources from " + crmFile.get() + ": " + e);
        }
    }

    private Optional<Path> crmFile() {
        return Optional.ofNullable(node.settings().cluster().crm().options().get("config")).map(String::trim)
                .map(Path::of);
    }

    private boolean isCrmFile(Path f) {
        return crmFile().map(c -> c.toAbsolutePath().normalize().equals(f.toAbsolutePath().normalize())).orElse(false);
    }

    private static boolean nodeVotes(String key, String before, String after) {
        Matcher m = NODE_KEY.matcher(key);
        return m.matches() && m.group(2).equals("quorum_votes") && before != null && after != null;
    }

    private static String nodeIdOf(String key) {
        Matcher m = NODE_KEY.matcher(key);
        return m.matches() ? m.group(1) : "";
    }

    private static String whyRestart(String key) {
        if (key.startsWith("totem.crypto") || key.equals("totem.keyfile") || key.equals("totem.secauth")) {
            return "crypto: restart every node together";
        }
        if (key.equals("totem.transport") || key.startsWith("totem.interface") || key.equals("totem.link_mode")
                || key.equals("totem.netmtu") || key.equals("totem.ip_version")) {
            return "transport: the sockets are opened at start";
        }
        if (key.startsWith("totem.")) {
            return "the ring's settings are fixed while it runs";
        }
        if (key.startsWith("nodelist.")) {
            return "the node list and addresses are fixed while the ring runs; restart every node";
        }
        if (key.startsWith("resources.")) {
            return "the CRM reads its resources from crm.config, not from this file";
        }
        return "read at start only";
    }

    private static String readOrNull(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * {@code section.sub.key} to value, positions left out; nodes are keyed by node id
     * ({@code nodelist.node[nodeid=2].ring0_addr}), other repeated sections by their index. The last
     * of repeated keys wins, as Corosync reads them.
     */
    static Map<String, String> flatten(ConfigSection root) {
        Map<String, String> out = new TreeMap<>();
        flatten(root, "", out);
        return out;
    }

    private static void flatten(ConfigSection s, String prefix, Map<String, String> out) {
        for (ConfigEntry e : s.entries()) {
            out.put(prefix + e.key(), e.value());
        }
        Map<String, Integer> seen = new java.util.HashMap<>();
        Set<String> repeated = new HashSet<>();
        for (ConfigSection sub : s.sections()) {
            if (!seen.containsKey(sub.name())) {
                seen.put(sub.name(), 0);
            } else {
                repeated.add(sub.name());
            }
        }
        Map<String, Integer> index = new java.util.HashMap<>();
        for (ConfigSection sub : s.sections()) {
            String name = sub.name();
            Optional<String> nodeid = name.equals("node") ? sub.value("nodeid") : Optional.empty();
            String path;
            if (nodeid.isPresent()) {
                path = prefix + name + "[nodeid=" + nodeid.get().trim() + "]";
            } else if (repeated.contains(name)) {
                int i = index.merge(name, 1, Integer::sum) - 1;
                path = prefix + name + "[" + i + "]";
            } else {
                path = prefix + name;
            }
            flatten(sub, path + ".", out);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        pending.values().forEach(p -> p.reports().completeExceptionally(new IllegalStateException("node stopped")));
    }
}
