package org.ringmaster.daemon.admin;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.Optional;
import org.ringmaster.crm.api.ClusterResourceManager;
import org.ringmaster.crm.simple.run.CommandResult;
import org.ringmaster.crm.simple.run.CrmCommands;
import org.ringmaster.crm.simple.run.SimpleCrm;
import org.ringmaster.daemon.node.ClusterNode;
import org.ringmaster.daemon.node.NodeSettings;
import org.ringmaster.daemon.node.NodeView;
import org.ringmaster.daemon.node.PeerLink;
import org.ringmaster.daemon.node.ReloadRequest;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.membership.group.GroupHandle;
import org.ringmaster.membership.group.GroupListener;
import org.ringmaster.membership.group.GroupMember;
import org.ringmaster.membership.group.GroupView;
import org.ringmaster.quorum.NodeStatus;
import org.ringmaster.quorum.QuorumState;
import org.ringmaster.totem.Guarantee;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the handshake, then one request at a time (see {@link Protocol}). Bad
 * requests get {@code ERR} and the session goes on; only the client's own connection can be hurt
 * by what it sends. Events of a subscription are queued by the node's agent thread and written by
 * this session's writer thread.
 */
final class AdminSession implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminSession.class);
    /** Events (in characters, ~bytes) a subscriber may lag behind before it is disconnected. */
    static final long MAX_QUEUED_CHARS = 32L * 1024 * 1024;
    private static final String CLOSE = "\u0000close";

    private final LineChannel line;
    private final ClusterNode node;
    private final MeterRegistry registry;
    private final String peer;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final AtomicLong queuedChars = new AtomicLong();
    private volatile boolean overflowed;
    private static final long JOIN_WAIT_MS = 10_000;
    private final Map<String, GroupHandle> handles = new ConcurrentHashMap<>();
    /** Every client's members on this node, for {@code groups}. */
    private final Set<GroupHandle> allMembers;
    private AutoCloseable subscription;
    private Thread writer;

    AdminSession(LineChannel line, ClusterNode node, MeterRegistry registry, String peer, Set<GroupHandle> allMembers) {
        this.allMembers = allMembers;
        this.line = line;
        this.node = node;
        this.registry = registry;
        this.peer = peer;
    }

    @Override
    public void run() {
        try {
            String hello = line.readLine();
            if (hello == null) {
                return;
            }
            if (!Protocol.HELLO.equals(hello)) {
                line.writeLine(Protocol.ERR + " expected '" + Protocol.HELLO + "' (this daemon speaks protocol version "
                        + Protocol.VERSION + ")" + (hello.startsWith("RINGMASTER ") ? "" : ", got '"
                        + abbreviate(hello) + "'"));
                return;
            }
            line.writeLine(Protocol.HELLO + " node " + node.settings().nodeId());
            String request;
            while ((request = line.readLine()) != null) {
                if (request == LineChannel.TOO_LONG) {
                    line.writeLine(Protocol.ERR + " request line longer than " + Protocol.MAX_LINE + " bytes");
                    continue;
                }
                handle(request);
            }
        } catch (IOException e) {
            LOG.debug("admin client {}: {}", peer, e.toString());
        } finally {
            close();
        }
    }

    private void handle(String request) throws IOException {
        String[] words = request.split(" ", -1);
        List<String> reply = new ArrayList<>();
        String error;
        try {
            error = switch (words[0]) {
                case "ping" -> null;
                case "status" -> status(reply);
                case "members" -> members(reply);
                case "quorum" -> quorum(reply);
                case "links" -> links(reply);
                case "reload" -> reload(words, reply);
                case "metrics" -> metrics(reply);
                case "subscribe" -> subscribe(words);
                case "join" -> join(words, reply);
                case "leave" -> leave(words);
                case "send" -> send(words);
                case "groups" -> groups(reply);
                case "crm" -> crm(words, reply);
                case "crmstatus" -> CrmStatusReport.write(node, reply);
                case "fence" -> FenceRequests.handle(node, words, reply);
                case "" -> "empty request";
                default -> "unknown request '" + abbreviate(words[0]) + "'; known: ping, status, members, quorum, "
                        + "links, reload, metrics, subscribe, join, leave, send, groups, crm, crmstatus, fence";
            };
        } catch (RuntimeException e) {
            LOG.warn("admin client {}: request '{}' failed", peer, abbreviate(request), e);
            error = "internal error: " + e;
        }
        if (error != null) {
            line.writeLine(Protocol.ERR + " " + error.replace('\n', ' '));
            return;
        }
        StringBuilder out = new StringBuilder(Protocol.OK).append('\n');
        for (String r : reply) {
            out.append(r.replace('\n', ' ')).append('\n');
        }
        out.append(Protocol.END);
        line.writeLine(out.toString());
    }

    /** {@code crm <words...>}: one of the simple CRM's commands; answers {@code exit <code>} and its text lines. */
    private String crm(String[] words, List<String> reply) {
        if (words.length >= 3 && words[1].equals("node") && words[2].equals("attribute")) {
            return attribute(List.of(words).subList(3, words.length), reply);
        }
        Optional<ClusterResourceManager> crm = node.crm();
        if (crm.isEmpty()) {
            return "no cluster resource manager runs on this node (the configuration has no crm section)";
        }
        if (!(crm.get() instanceof SimpleCrm simple)) {
            return "the running CRM plugin (" + crm.get().getClass().getName() + ") has no commands on this socket; "
                    + "only the simple CRM's are served";
        }
        CommandResult result = CrmCommands.of(simple).run(List.of(words).subList(1, words.length));
        reply.add("exit " + result.exitCode());
        for (String l : result.text().split("\n", -1)) {
            reply.add("text " + l);
        }
        if (reply.size() > 1 && reply.get(reply.size() - 1).equals("text ")) {
            reply.remove(reply.size() - 1); // a trailing newline is not a line of its own
        }
        return null;
    }

    /**
     * {@code node attribute NODE [NAME [VALUE|--delete]]}: shows, sets or removes a transient node attribute; a
     * change answers once it was applied here (so, in ring order, on every member). Answers like {@code crm}.
     */
    private String attribute(List<String> args, List<String> reply) {
        String usage = "usage: node attribute NODE [NAME [VALUE|--delete]]";
        if (args.isEmpty() || args.size() > 3) {
            reply.add("exit " + CommandResult.USAGE);
            reply.add("text " + usage);
            return null;
        }
        Optional<Integer> id = node.nodeIdOf(args.get(0));
        if (id.isEmpty()) {
            reply.add("exit " + CommandResult.FAILED);
            reply.add("text no node '" + args.get(0) + "' in the node list");
            return null;
        }
        Map<String, String> now = node.attributes(id.get());
        if (args.size() == 1) {
            reply.add("exit " + CommandResult.OK);
            new java.util.TreeMap<>(now).forEach((k, v) -> reply.add("text " + k + "=" + v));
            return null;
        }
        String name = args.get(1);
        if (args.size() == 2) {
            String v = now.get(name);
            reply.add("exit " + (v == null ? CommandResult.FAILED : CommandResult.OK));
            reply.add("text " + (v == null ? name + " is not set on " + args.get(0) : name + "=" + v));
            return null;
        }
        String value = args.get(2).equals("--delete") ? null : args.get(2);
        String problem = node.setAttribute(id.get(), name, value);
        if (problem != null) {
            reply.add("exit " + CommandResult.FAILED);
            reply.add("text " + problem);
            return null;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!java.util.Objects.equals(node.attributes(id.get()).get(name), value)) {
            if (System.nanoTime() - deadline > 0) {
                reply.add("exit " + CommandResult.TIMED_OUT);
                reply.add("text not confirmed within 10000 ms (the cluster may still apply it)");
                return null;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        reply.add("exit " + CommandResult.OK);
        reply.add("text " + name + " of " + args.get(0) + (value == null ? " removed" : " = " + value));
        return null;
    }

    private String status(List<String> reply) {
        NodeView v = node.view();
        NodeSettings s = node.settings();
        reply.add("node " + v.nodeId());
        reply.add("name " + s.nameOf(v.nodeId()));
        reply.add("address " + s.local().address().getHostAddress());
        reply.add("cluster " + s.cluster().totem().clusterName().orElse("-"));
        reply.add("state " + v.state());
        reply.add("ring_seq " + v.ringSeq());
        reply.add("ring_rep " + v.ringRep());
        reply.add("members " + Protocol.ids(v.members()));
        reply.add("last_change " + v.lastReason());
        reply.add("config_changes " + v.configChanges());
        reply.add("transport " + s.cluster().totem().transport().configName());
        reply.add("crypto " + s.crypto().hash().configName() + "/" + s.crypto().cipher().configName());
        reply.add("netmtu " + s.netmtu());
        if (v.quorum().isEmpty()) {
            reply.add("quorum disabled");
        } else {
            QuorumState q = v.quorum().get();
            reply.add("quorum " + (q.quorate() ? "quorate" : "inquorate"));
            // What the CRM acts on: the votes and a live ring. A node cut off keeps its old ring's vote table
            // until it forms a new ring, but is not quorate on it.
            reply.add("quorate_now " + (node.quorate() ? "yes" : "no"));
            reply.add("total_votes " + q.totalVotes());
            reply.add("expected_votes " + q.expectedVotes());
            reply.add("quorum_votes " + q.quorum());
        }
        return null;
    }

    private String members(List<String> reply) {
        NodeSettings s = node.settings();
        for (int id : node.view().members()) {
            reply.add("member " + id + " " + s.nameOf(id) + " " + s.addressOf(id));
        }
        return null;
    }

    /** How long {@code reload} waits for every member's report. */
    static final long RELOAD_WAIT_MS = 20_000;

    /** {@code reload}: every member re-reads its config file; one {@code report <node> <line>} per report line. */
    private String reload(String[] words, List<String> reply) {
        if (words.length != 1) {
            return "usage: reload";
        }
        ReloadRequest r;
        try {
            r = node.reload();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        try {
            r.reports().get(RELOAD_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // Report what came; the members that did not answer are named below.
        } catch (java.util.concurrent.ExecutionException e) {
            return "reload failed: " + e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        if (r.expected().isEmpty()) {
            return "the reload request was not delivered within " + RELOAD_WAIT_MS + " ms; is the ring operational?";
        }
        java.util.SortedSet<Integer> nodes = new java.util.TreeSet<>(r.expected());
        nodes.addAll(r.received().keySet());
        for (int id : nodes) {
            String report = r.received().get(id);
            if (report == null) {
                reply.add("report " + id + " (no answer within " + RELOAD_WAIT_MS + " ms)");
                continue;
            }
            for (String l : report.split("\n")) {
                reply.add("report " + id + " " + l);
            }
        }
        return null;
    }

    private String links(List<String> reply) {
        NodeSettings s = node.settings();
        reply.add("mode " + (s.links().size() == 1 ? "single" : s.cluster().totem().linkMode()));
        for (int l = 0; l < s.links().size(); l++) {
            java.net.InetSocketAddress a = s.links().get(l).localAddress();
            reply.add("local " + l + " " + a.getAddress().getHostAddress() + ":" + a.getPort());
        }
        for (PeerLink p : node.links()) {
            reply.add("link " + p.link() + " " + p.nodeId() + " " + s.nameOf(p.nodeId()).replace(' ', '_') + " "
                    + p.address() + " " + (p.connected() ? "connected" : "down") + " " + p.source());
        }
        return null;
    }

    private String quorum(List<String> reply) {
        NodeView v = node.view();
        if (v.quorum().isEmpty()) {
            return "quorum is not configured (no quorum { provider: corosync_votequorum } in the configuration)";
        }
        QuorumState q = v.quorum().get();
        reply.add("ring " + q.ringId().seq() + "/" + q.ringId().representative());
        reply.add("quorate " + (q.quorate() ? "yes" : "no"));
        reply.add("quorate_now " + (node.quorate() ? "yes" : "no"));
        reply.add("total_votes " + q.totalVotes());
        reply.add("expected_votes " + q.expectedVotes());
        reply.add("quorum " + q.quorum());
        reply.add("flags " + (q.flags().isEmpty() ? "-" : q.flags().stream().map(f -> f.name().toLowerCase(Locale.ROOT))
                .sorted().collect(Collectors.joining(","))));
        for (NodeStatus n : q.nodes()) {
            reply.add("node " + n.nodeId() + " " + n.votes() + " " + n.expectedVotes() + " "
                    + n.state().name().toLowerCase(Locale.ROOT));
        }
        node.quorumDevice().ifPresent(d -> {
            reply.add("device_model " + d.model());
            reply.add("device_votes " + d.votes());
            reply.add("device_casts_vote " + (d.castsVote() ? "yes" : "no"));
            reply.add("device_score " + d.score());
            d.details().forEach((k, value) -> reply.add("device." + k + " " + value));
        });
        return null;
    }

    private String metrics(List<String> reply) {
        List<Meter> meters = new ArrayList<>(registry.getMeters());
        meters.sort(Comparator.comparing(m -> m.getId().getName() + m.getId().getTags()));
        for (Meter m : meters) {
            String tags = m.getId().getTags().stream().map(t -> t.getKey() + "=\"" + t.getValue() + "\"")
                    .collect(Collectors.joining(","));
            for (Measurement measurement : m.measure()) {
                String name = m.getId().getName();
                Statistic st = measurement.getStatistic();
                if (st != Statistic.VALUE && st != Statistic.COUNT || countedTwice(m)) {
                    name += "." + st.name().toLowerCase(Locale.ROOT);
                }
                reply.add("metric " + name + "{" + tags + "} " + format(measurement.getValue()));
            }
        }
        return null;
    }

    private static boolean countedTwice(Meter m) {
        int n = 0;
        for (Measurement x : m.measure()) {
            if (x.getStatistic() == Statistic.VALUE || x.getStatistic() == Statistic.COUNT) {
                n++;
            }
        }
        return n > 1;
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private String subscribe(String[] words) {
        if (words.length > 2 || words.length == 2 && !words[1].equals("-")) {
            return "usage: subscribe";
        }
        if (subscription != null) {
            return "already subscribed";
        }
        startWriter();
        subscription = node.subscribe(c -> event("config " + c.kind().name().toLowerCase(Locale.ROOT) + " "
                + c.ringSeq() + " " + c.rep() + " " + Protocol.ids(c.members()) + " " + Protocol.ids(c.joined()) + " "
                + Protocol.ids(c.left()) + " " + c.reason().name()));
        return null;
    }

    private String join(String[] words, List<String> reply) {
        if (words.length != 2) {
            return "usage: join <group>";
        }
        String group = words[1];
        String problem = Protocol.checkGroup(group);
        if (problem != null) {
            return problem;
        }
        if (handles.containsKey(group)) {
            return "already a member of " + group + " on this connection";
        }
        startWriter();
        CountDownLatch joined = new CountDownLatch(1);
        GroupHandle handle = node.groups().join(group, new GroupListener() {
            @Override
            public void onView(GroupHandle self, GroupView view) {
                event(Protocol.view(view));
                if (self.state() == GroupHandle.State.JOINED) {
                    joined.countDown();
                }
            }

            @Override
            public void onMessage(GroupHandle self, GroupMember sender, Guarantee guarantee, DirectBuffer buffer,
                                  int offset, int length) {
                byte[] payload = new byte[length];
                buffer.getBytes(offset, payload);
                event("message " + group + " " + sender + " " + guarantee.name().toLowerCase(Locale.ROOT) + " "
                        + Base64.getEncoder().encodeToString(payload));
            }
        });
        handles.put(group, handle);
        allMembers.add(handle);
        boolean in;
        try {
            in = joined.await(JOIN_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            in = false;
        }
        reply.add("member " + handle.member());
        reply.add("state " + (in ? "joined" : "joining"));
        return null;
    }

    private String leave(String[] words) {
        if (words.length != 2) {
            return "usage: leave <group>";
        }
        GroupHandle handle = handles.remove(words[1]);
        if (handle == null) {
            return "not a member of '" + abbreviate(words[1]) + "' on this connection";
        }
        allMembers.remove(handle);
        handle.leave();
        return null;
    }

    private String send(String[] words) {
        if (words.length != 4) {
            return "usage: send <group> agreed|safe <base64 payload>";
        }
        GroupHandle handle = handles.get(words[1]);
        if (handle == null) {
            String problem = Protocol.checkGroup(words[1]);
            return problem != null ? problem : "join " + words[1] + " first: only members multicast to a group";
        }
        Guarantee guarantee = switch (words[2]) {
            case "agreed" -> Guarantee.AGREED;
            case "safe" -> Guarantee.SAFE;
            default -> null;
        };
        if (guarantee == null) {
            return "guarantee must be agreed or safe, not '" + abbreviate(words[2]) + "'";
        }
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(words[3]);
        } catch (IllegalArgumentException e) {
            return "payload is not base64: " + e.getMessage();
        }
        try {
            return handle.multicast(new UnsafeBuffer(payload), 0, payload.length, guarantee) ? null
                    : "busy: the ring's send queue is full, retry";
        } catch (IllegalArgumentException | IllegalStateException e) {
            return e.getMessage();
        }
    }

    private String groups(List<String> reply) {
        List<GroupHandle> sorted = new ArrayList<>(allMembers);
        sorted.sort(Comparator.comparing((GroupHandle h) -> h.group()).thenComparing(GroupHandle::member));
        for (GroupHandle h : sorted) {
            GroupView v = h.view();
            reply.add("group " + h.group() + " " + h.member() + " " + h.state().name().toLowerCase(Locale.ROOT) + " "
                    + (v == null ? "-" : Protocol.members(v.members())));
        }
        return null;
    }

    private void startWriter() {
        if (writer == null) {
            writer = new Thread(this::writeEvents, "ringmaster-admin-events");
            writer.setDaemon(true);
            writer.start();
        }
    }

    /** On the node's agent thread: never blocks. */
    private void event(String text) {
        if (overflowed) {
            return;
        }
        String line = Protocol.EVENT + " " + text;
        if (queuedChars.addAndGet(line.length()) > MAX_QUEUED_CHARS) {
            overflowed = true;
            events.clear();
            events.offer(CLOSE);
            return;
        }
        events.offer(line);
    }

    private void writeEvents() {
        try {
            while (true) {
                String e = events.poll(1, TimeUnit.SECONDS);
                if (e == CLOSE) {
                    if (overflowed) {
                        line.writeLine(Protocol.ERR + " slow consumer: more than " + MAX_QUEUED_CHARS
                                + " bytes of events queued; disconnected");
                    }
                    line.close();
                    return;
                }
                if (e != null) {
                    queuedChars.addAndGet(-e.length());
                    line.writeLine(e);
                } else if (!line.channel().isOpen()) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            LOG.debug("admin client {}: event writer: {}", peer, e.toString());
        }
    }

    private void close() {
        // Like a cpg client that exits: its members leave their groups.
        handles.values().forEach(h -> {
            allMembers.remove(h);
            h.leave();
        });
        handles.clear();
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("unsubscribe", e);
            }
        }
        if (writer != null) {
            events.offer(CLOSE);
        }
        try {
            line.close();
        } catch (IOException e) {
            LOG.debug("close", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
