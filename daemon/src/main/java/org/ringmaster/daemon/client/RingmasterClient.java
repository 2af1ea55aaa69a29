package org.ringmaster.daemon.client;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ringmaster.crm.simple.run.CommandResult;
import org.ringmaster.daemon.admin.LineChannel;
import org.ringmaster.daemon.admin.Protocol;
import org.ringmaster.membership.group.GroupMember;
import org.ringmaster.membership.group.GroupView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to a local {@code ringmasterd} over its admin socket, for applications in other
 * processes (what libcpg is to Corosync): what the node sees (status, members, quorum, metrics),
 * its configuration changes, and process groups, with the same {@link GroupView views} and
 * ordering as the embedded group API ({@code org.ringmaster.membership.group}).
 *
 * <pre>{@code
 * ClusterListener listener = new ClusterListener() {
 *     public void onView(GroupView view) { System.out.println(view.members() + " leader " + view.leader()); }
 *     public void onMessage(String group, GroupMember sender, byte[] payload) { ... }
 * };
 * try (RingmasterClient client = RingmasterClient.connect(Path.of("/run/ringmaster/ringmasterd.sock"), listener)) {
 *     System.out.println(client.status().members().length + " nodes");
 *     GroupMember me = client.join("orders");
 *     client.send("orders", "hello".getBytes(UTF_8));
 *     ...
 * }   // closing leaves every group the connection joined
 * }</pre>
 *
 * <p>Requests are answered one at a time (callers on several threads take turns). Events arrive in
 * the order the ring delivers them. Every member of a group sees the same views and the same
 * messages in the same order (agreed order; {@link #send(String, byte[], boolean) safe} also waits
 * until every node holds the message). A connection is one member of each group it joins.
 */
public final class RingmasterClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RingmasterClient.class);

    /** How long a request waits for its answer. */
    static final long REQUEST_TIMEOUT_MS = 10_000;
    /** Longer than the daemon's own 10 s wait for a CRM change to be applied, so its answer arrives. */
    static final long CRM_TIMEOUT_MS = 15_000;
    /** The daemon waits up to 20 s for every node's report. */
    static final long RELOAD_TIMEOUT_MS = 30_000;

    private final LineChannel line;
    private final int nodeId;
    private final BlockingQueue<Object> replies = new ArrayBlockingQueue<>(4);
    private final Thread reader;
    private final ClusterListener listener;
    private volatile boolean closed;

    private RingmasterClient(LineChannel line, int nodeId, ClusterListener listener) {
        this.line = line;
        this.nodeId = nodeId;
        this.listener = listener;
        this.reader = new Thread(this::read, "ringmaster-client-" + nodeId);
        reader.setDaemon(true);
    }

    /** Connects for requests only (no events); see {@link #connect(Path, ClusterListener)}. */
    public static RingmasterClient connect(Path socket) throws IOException {
        return connect(socket, new ClusterListener() { });
    }

    /**
     * Connects and checks the protocol version.
     *
     * @param listener receives this connection's events: configuration changes after {@link #subscribe()},
     *                 views and messages of the groups it {@link #join joins}, and its end
     * @throws ClientException when the socket is missing, refuses this user, or speaks another version
     */
    public static RingmasterClient connect(Path socket, ClusterListener listener) throws IOException {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new ClientException("cannot connect to ringmasterd at " + socket + ": " + e.getMessage()
                    + " (is it running? which --socket does it use?)", e);
        }
        LineChannel line = new LineChannel(channel, Protocol.MAX_LINE);
        try {
            IOException writeFailure = null;
            try {
                line.writeLine(Protocol.HELLO);
            } catch (IOException e) {
                // A daemon that refuses this client answers and closes at once; its answer is still readable.
                writeFailure = e;
            }
            String hello = line.readLine();
            if (hello == null && writeFailure != null) {
                throw new ClientException("ringmasterd at " + socket + ": " + writeFailure.getMessage(), writeFailure);
            }
            if (hello == null) {
                throw new ClientException("ringmasterd at " + socket + " closed the connection");
            }
            if (hello.startsWith(Protocol.ERR + " ")) {
                throw new ClientException("ringmasterd at " + socket + ": " + hello.substring(4));
            }
            String prefix = Protocol.HELLO + " node ";
            if (!hello.startsWith(prefix)) {
                throw new ClientException("ringmasterd at " + socket + " answered '" + hello + "', not '" + prefix
                        + "<id>'");
            }
            RingmasterClient client = new RingmasterClient(line, Integer.parseInt(hello.substring(prefix.length())),
                    listener);
            client.reader.start();
            return client;
        } catch (IOException | RuntimeException e) {
            line.close();
            throw e;
        }
    }

    /** The node this client is connected to. */
    public int nodeId() {
        return nodeId;
    }

    /** The node's view: state, ring, members and quorum. */
    public NodeStatus status() throws IOException {
        return new NodeStatus(fields(request("status")));
    }

    /** Members of the node's current configuration. */
    public List<Member> members() throws IOException {
        List<Member> members = new ArrayList<>();
        for (String l : request("members")) {
            String[] w = l.split(" ");
            if (w.length == 4 && w[0].equals("member")) {
                members.add(new Member(Integer.parseInt(w[1]), w[2], w[3]));
            }
        }
        return members;
    }

    /** The node's links and, per peer and link, whether it is connected. */
    public Links links() throws IOException {
        String mode = "single";
        List<String> local = new ArrayList<>();
        List<Links.Peer> peers = new ArrayList<>();
        for (String l : request("links")) {
            String[] w = l.split(" ");
            if (w[0].equals("mode") && w.length == 2) {
                mode = w[1];
            } else if (w[0].equals("local") && w.length == 3) {
                local.add(w[2]);
            } else if (w[0].equals("link") && w.length == 7) {
                peers.add(new Links.Peer(Integer.parseInt(w[1]), Integer.parseInt(w[2]), w[3], w[4],
                        w[5].equals("connected"), w[6]));
            }
        }
        return new Links(mode, local, peers);
    }

    /**
     * votequorum's state.
     *
     * @throws ClientException when quorum is not configured
     */
    public QuorumStatus quorum() throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        List<QuorumStatus.NodeVotes> nodes = new ArrayList<>();
        for (String l : request("quorum")) {
            String[] w = l.split(" ");
            if (w[0].equals("node") && w.length == 5) {
                nodes.add(new QuorumStatus.NodeVotes(Integer.parseInt(w[1]), Integer.parseInt(w[2]),
                        Integer.parseInt(w[3]), w[4]));
            } else {
                int space = l.indexOf(' ');
                fields.put(space < 0 ? l : l.substring(0, space), space < 0 ? "" : l.substring(space + 1));
            }
        }
        return new QuorumStatus(fields, nodes);
    }

    /**
     * {@code config reload}: every member of the node's configuration re-reads its configuration file,
     * applies what is safe and reports; returns each node's report lines by node id (a node that did not
     * answer in time has the single line {@code (no answer)}).
     */
    public Map<Integer, List<String>> reload() throws IOException {
        Map<Integer, List<String>> reports = new java.util.TreeMap<>();
        for (String l : request("reload", RELOAD_TIMEOUT_MS)) {
            String[] w = l.split(" ", 3);
            if (w.length == 3 && w[0].equals("report")) {
                reports.computeIfAbsent(Integer.parseInt(w[1]), k -> new ArrayList<>()).add(w[2]);
            }
        }
        return reports;
    }

    /** Every meter of the node: {@code name{tags}} to value, sorted by name. */
    public Map<String, String> metrics() throws IOException {
        Map<String, String> metrics = new LinkedHashMap<>();
        for (String l : request("metrics")) {
            String[] w = l.split(" ");
            if (w.length == 3 && w[0].equals("metric")) {
                metrics.put(w[1], w[2]);
            }
        }
        return metrics;
    }

    /**
     * The resource manager's state on this node: DC, where each resource instance runs, failures, fail-counts,
     * nodes and their attributes, fencing history. {@link CrmStatus#running()} is false when no CRM runs there.
     */
    public CrmStatus crmStatus() throws IOException {
        return CrmStatus.parse(request("crmstatus"));
    }

    /**
     * Runs one command of the node's cluster resource manager, e.g. {@code resource list}; changes return once
     * applied cluster-wide (or with exit code 3 when not confirmed in time).
     *
     * @param words the command's words; none may be empty or contain whitespace
     * @throws ClientException if no CRM runs on the node, or a word cannot be sent
     */
    public CommandResult crm(List<String> words) throws IOException {
        for (String w : words) {
            if (w.isEmpty() || w.chars().anyMatch(Character::isWhitespace)) {
                throw new ClientException("crm command words must be non-empty and without spaces: '" + w + "'");
            }
        }
        int exit = CommandResult.FAILED;
        StringBuilder text = new StringBuilder();
        for (String l : request("crm " + String.join(" ", words), CRM_TIMEOUT_MS)) {
            if (l.startsWith("exit ")) {
                exit = Integer.parseInt(l.substring(5).trim());
            } else if (l.startsWith("text ")) {
                text.append(l, 5, l.length()).append('\n');
            }
        }
        return new CommandResult(exit, text.toString());
    }

    /**
     * Runs one {@code fence} request of the admin protocol ({@code history}, {@code request}, {@code confirm},
     * {@code test}, {@code devices}; see {@link Protocol}) and returns its reply lines.
     *
     * @param words     the request's words after {@code fence}; none may be empty or contain whitespace
     * @param timeoutMs how long to wait for the answer (longer than a wait the request itself carries)
     * @throws ClientException if no fencer runs on the node, or the request is refused
     */
    public List<String> fence(List<String> words, long timeoutMs) throws IOException {
        for (String w : words) {
            if (w.isEmpty() || w.chars().anyMatch(Character::isWhitespace)) {
                throw new ClientException("fence request words must be non-empty and without spaces: '" + w + "'");
            }
        }
        return request("fence " + String.join(" ", words), timeoutMs);
    }

    /** Configuration changes of the node go to the listener from now on. */
    public void subscribe() throws IOException {
        request("subscribe");
    }

    /**
     * Joins a process group as a new member; its views and messages go to the listener until
     * {@link #leave} or {@link #close()}. Returns once the member's join view was delivered (or after
     * 10 s while the ring is re-forming; {@link #send} then fails until it is in).
     *
     * @throws ClientException for a bad group name or a group this connection already joined
     */
    public GroupMember join(String group) throws IOException {
        checkGroup(group);
        Map<String, String> reply = fields(request("join " + group));
        return Protocol.parseMember(reply.get("member"));
    }

    /** Leaves a group this connection joined (the others see it leave with reason LEAVE). */
    public void leave(String group) throws IOException {
        checkGroup(group);
        request("leave " + group);
    }

    /** Multicasts to a joined group in agreed order; see {@link #send(String, byte[], boolean)}. */
    public boolean send(String group, byte[] payload) throws IOException {
        return send(group, payload, false);
    }

    /**
     * Multicasts {@code payload} to every member of a group this connection joined.
     *
     * @param safe deliver only once every node holds the message (slower than agreed order)
     * @return false when the ring's send queue is full: retry later
     * @throws ClientException for a group not joined, or a payload over the ring's limit
     */
    public boolean send(String group, byte[] payload, boolean safe) throws IOException {
        checkGroup(group);
        try {
            request("send " + group + " " + (safe ? "safe" : "agreed") + " "
                    + Base64.getEncoder().encodeToString(payload));
            return true;
        } catch (ClientException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("busy")) {
                return false;
            }
            throw e;
        }
    }

    /** The group members held by this node's clients, sorted by group. */
    public List<LocalMember> groups() throws IOException {
        List<LocalMember> members = new ArrayList<>();
        for (String l : request("groups")) {
            String[] w = l.split(" ");
            if (w.length == 5 && w[0].equals("group")) {
                members.add(new LocalMember(w[1], Protocol.parseMember(w[2]), w[3], Protocol.parseMembers(w[4])));
            }
        }
        return members;
    }

    private static void checkGroup(String group) throws ClientException {
        String problem = Protocol.checkGroup(group);
        if (problem != null) {
            throw new ClientException(problem);
        }
    }

    /** Sends one request and returns the lines between OK and END. */
    private List<String> request(String text) throws IOException {
        return request(text, REQUEST_TIMEOUT_MS);
    }

    private synchronized List<String> request(String text, long timeoutMs) throws IOException {
        if (closed) {
            throw new ClientException("the connection to node " + nodeId + " is closed");
        }
        line.writeLine(text);
        Object reply;
        try {
            reply = replies.poll(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted waiting for node " + nodeId);
        }
        if (reply == null) {
            throw new ClientException("node " + nodeId + " did not answer '" + verb(text) + "' within "
                    + timeoutMs + " ms");
        }
        if (reply instanceof IOException e) {
            throw new ClientException(e.getMessage() != null ? e.getMessage() : "node " + nodeId + ": " + e, e);
        }
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) reply;
        return lines;
    }

    private static String verb(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    private static Map<String, String> fields(List<String> lines) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String l : lines) {
            int space = l.indexOf(' ');
            fields.put(space < 0 ? l : l.substring(0, space), space < 0 ? "" : l.substring(space + 1));
        }
        return fields;
    }

    private void read() {
        IOException cause = null;
        try {
            List<String> response = null;
            String l;
            while ((l = line.readLine()) != null) {
                if (response != null) {
                    if (l.equals(Protocol.END)) {
                        replies.put(response);
                        response = null;
                    } else {
                        response.add(l);
                    }
                } else if (l.equals(Protocol.OK)) {
                    response = new ArrayList<>();
                } else if (l.startsWith(Protocol.EVENT + " ")) {
                    event(l.substring(Protocol.EVENT.length() + 1));
                } else if (l.startsWith(Protocol.ERR + " slow consumer")) {
                    cause = new ClientException("node " + nodeId + ": " + l.substring(4));
                    break;
                } else if (l.startsWith(Protocol.ERR + " ")) {
                    replies.put(new ClientException(l.substring(4)));
                }
            }
        } catch (IOException e) {
            cause = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        IOException why = cause != null ? cause : new ClientException("node " + nodeId + " closed the connection");
        replies.offer(why);
        try {
            listener.onDisconnect(why);
        } catch (RuntimeException e) {
            LOG.warn("node {}: onDisconnect failed", nodeId, e);
        }
    }

    private void event(String text) {
        String[] w = text.split(" ", -1);
        try {
            switch (w[0]) {
                case "config" -> listener.onConfiguration(new Configuration(w[1].equals("regular"),
                        Long.parseLong(w[2]), Integer.parseInt(w[3]), Protocol.parseIds(w[4]),
                        Protocol.parseIds(w[5]), Protocol.parseIds(w[6]), w[7]));
                case "view" -> listener.onView(Protocol.parseView(w));
                case "message" -> listener.onMessage(w[1], Protocol.parseMember(w[2]), Base64.getDecoder().decode(w[4]));
                default -> {
                    // A newer daemon's event: ignored, as the protocol version promises compatible additions.
                }
            }
        } catch (RuntimeException e) {
            // A listener's bug or a garbled event must not stop the reader (and with it every request).
            LOG.warn("node {}: event '{}' failed", nodeId, text.length() > 80 ? text.substring(0, 80) + "..." : text, e);
        }
    }

    /** Closes the connection; a subscriber's {@link ClusterListener#onDisconnect} is called. */
    @Override
    public void close() throws IOException {
        closed = true;
        line.close();
    }
}
