package org.ringmaster.daemon.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.ringmaster.daemon.config.LoggingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.ringmaster.crm.api.ClusterResourceManager;
import org.ringmaster.fencing.sbd.SelfFence;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.EvsChannel;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.membership.EvsMultiplexer;
import org.ringmaster.membership.TotemNode;
import org.ringmaster.membership.group.GroupMetrics;
import org.ringmaster.membership.group.GroupService;
import org.ringmaster.quorum.DeviceStatus;
import org.ringmaster.membership.link.LinkMetrics;
import org.ringmaster.membership.link.LinkState;
import org.ringmaster.membership.link.RedundantTransport;
import org.ringmaster.quorum.EvsQuorum;
import org.ringmaster.quorum.QuorumDevice;
import org.ringmaster.quorum.QuorumState;
import org.ringmaster.quorum.VoteQuorum;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.RingCounters;
import org.ringmaster.totem.TotemRing;
import org.ringmaster.totem.transport.SocketIdleStrategy;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportMetrics;
import org.ringmaster.totem.transport.UdpConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: Totem membership, with votequorum and the process groups sharing its ordered
 * channel (sub-channels of an {@link EvsMultiplexer}), as an Agrona {@link Agent}. The clock is read once per duty cycle and passed down.
 *
 * <p>Threads: everything protocol-related runs on the agent thread. Other threads (the admin
 * socket) read {@link #view()}, join and multicast to {@link #groups()} (the ring's send queue is
 * many-to-one safe), {@link #subscribe} and ask for a {@link #requestLeave() leave}.
 */
public final class ClusterNode implements Agent, EvsListener {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** How long a leaving node keeps running so that votequorum's LEAVING message gets out first. */
    private static final long LEAVE_GRACE_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Sub-channels of the ring (stable: every node must use the same ids). */
    static final int OWN_CHANNEL = 0;
    static final int QUORUM_CHANNEL = 1;
    static final int GROUPS_CHANNEL = 2;
    static final int CRM_CHANNEL = 3;
    static final int FENCING_CHANNEL = 4;
    static final int ATTRIBUTES_CHANNEL = 5;

    private final NodeSettings settings;
    private final TotemNode node;
    private volatile SocketIdleStrategy idle;
    private final VoteQuorum quorum;
    private final EvsQuorum liveQuorum;
    /** The quorum device when the config has one (qdisk, ping), else null; closed with the node. */
    private final QuorumDevice device;
    private final Transport transport;
    /** {@code config reload} requests and reports, on the node's own sub-channel. */
    private final ConfigReload reload;
    /** Work other threads hand to the agent thread (protocol objects are single-threaded). */
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> agentTasks =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** The redundant-link layer, or null with a single link. */
    private final RedundantTransport redundant;
    private Timer tokenRotation;
    private long lastTokenNs;
    private final GroupService groups;
    /** The resource manager when the config has a {@code crm} section, else null. */
    private final CrmHost crm;
    /** Transient node attributes (ping score, ringctl node attribute), replicated on their own sub-channel. */
    private final NodeAttributes attributes;
    /** The ping attribute's prober when {@code crm { ping-hosts: ... }} is set, else null. */
    private final PingAttribute ping;
    /** The fencer when the config has a {@code fencing} section, else null. */
    private final FencerHost fencer;
    /** {@link #isQuorate} as of the last duty cycle, for the fencer's thread. */
    private volatile boolean quorateNow;
    private final CopyOnWriteArrayList<NodeEvents> subscriptions = new CopyOnWriteArrayList<>();
    private final CountDownLatch left = new CountDownLatch(1);
    private final AtomicLongArray ringBase = new AtomicLongArray(RingCounters.Counter.values().length);
    private final AtomicLong configChanges = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();

    private volatile NodeView view;
    private volatile TotemRing currentRing;
    private volatile boolean leaveRequested;
    /** Set on the agent thread by the CRM's self-fence (no-quorum-policy fence); the node stops at the next cycle. */
    private String selfFenceReason;
    private volatile Runnable onSelfFenced = () -> { };
    private long now;
    private long leaveAt = Long.MAX_VALUE;
    private boolean hasLeft;
    private long ringSeq;
    private int ringRep;
    private String lastReason = "NONE";
    private long seenStateChanges = -1;
    private QuorumState seenQuorum;

    /**
     * @param settings  the node's settings
     * @param transport the secured transport the ring runs on (closed by {@link #onClose()})
     * @param registry  where ringmaster.* meters are registered
     * @throws IllegalArgumentException if the {@code crm} section names no known plugin or the plugin refuses
     *                                  its settings, or the {@code fencing} section is invalid (the message
     *                                  names the key and its place)
     */
    public ClusterNode(NodeSettings settings, Transport transport, MeterRegistry registry) {
        this(settings, transport, null, registry);
    }

    /**
     * @param redundant the redundant-link layer under {@code transport} when the node has several links
     *                  (for {@link #links()} and the link meters), else null
     * @see #ClusterNode(NodeSettings, Transport, MeterRegistry)
     */
    public ClusterNode(NodeSettings settings, Transport transport, RedundantTransport redundant, MeterRegistry registry) {
        this(settings, transport, redundant, registry, (action, reason) -> {
            // The process ends at once, without the watchdog's magic close: a configured watchdog device then
            // resets the machine, as a pill demands.
            LOG.error("SELF-FENCING ({}): {}; exiting with {}", action, reason, FencerHost.SELF_FENCED_EXIT);
            Runtime.getRuntime().halt(FencerHost.SELF_FENCED_EXIT);
        });
    }

    /**
     * As {@link #ClusterNode(NodeSettings, Transport, RedundantTransport, MeterRegistry)}, with what this node does
     * when its fencing says it must die (a poison pill in its slot, its shared disk lost): the daemon ends its
     * process; in-process tests stop the node instead.
     */
    public ClusterNode(NodeSettings settings, Transport transport, RedundantTransport redundant, MeterRegistry registry,
                       SelfFence selfFence) {
        this.settings = settings;
        this.redundant = redundant;
        this.transport = transport;
        this.node = new TotemNode(settings.membership(), transport);
        // One ring, six users: this node's own view (configuration changes), quorum, groups, the CRM, the fencer
        // and the node attributes.
        EvsMultiplexer mux = new EvsMultiplexer(node);
        EvsChannel own = mux.channel(OWN_CHANNEL);
        own.listener(this);
        this.reload = new ConfigReload(this, own);
        EvsChannel quorumChannel = mux.channel(QUORUM_CHANNEL);
        // The quorum device (qdisk, ping) casts its votes through the quorum's own ordered exchange.
        this.device = QuorumDevices.open(settings).orElse(null);
        this.liveQuorum = settings.quorum().map(q -> new EvsQuorum(node, quorumChannel, q, device,
                state -> LOG.debug("quorum: {}", state), System::nanoTime, registry)).orElse(null);
        this.quorum = liveQuorum == null ? null : liveQuorum.votes();
        this.groups = GroupService.attach(mux.channel(GROUPS_CHANNEL));
        EvsChannel crmChannel = mux.channel(CRM_CHANNEL);
        EvsChannel fencingChannel = mux.channel(FENCING_CHANNEL);
        this.attributes = new NodeAttributes(settings.nodeId(), mux.channel(ATTRIBUTES_CHANNEL));
        this.ping = settings.cluster().crm().enabled() ? settings.cluster().crm().ping()
                .map(p -> new PingAttribute(p, attributes, settings.nodeId())).orElse(null) : null;
        try {
            this.fencer = settings.cluster().fencing().map(f -> new FencerHost(f, settings, fencingChannel,
                    () -> quorateNow, registry, selfFence)).orElse(null);
        } catch (RuntimeException e) {
            closeDevice();
            throw e;
        }
        if (settings.cluster().crm().enabled()) {
            // Started here, before the ring, so that it hears the first configuration (the CRM contract).
            try {
                this.crm = new CrmHost(settings.cluster().crm(), settings, this, node, crmChannel, registry,
                        fencer == null ? null : fencer.service());
                this.crm.start(System.nanoTime());
            } catch (RuntimeException e) {
                if (fencer != null) {
                    fencer.close();
                }
                closeDevice();
                throw e;
            }
        } else {
            this.crm = null;
        }
        this.view = new NodeView(settings.nodeId(), "STARTING", 0, 0, new int[0], lastReason, 0,
                Optional.ofNullable(quorum).map(VoteQuorum::state));
        bindMetrics(registry);
        new GroupMetrics(groups).bindTo(registry);
        new TransportMetrics(settings.nodeId(), transport.counters()).bindTo(registry);
    }

    /** The latest view; any thread. */
    public NodeView view() {
        return view;
    }

    public NodeSettings settings() {
        return settings;
    }

    /**
     * The process groups of this node (thread-safe: join, multicast and leave from any thread;
     * listeners are called on the agent thread and must not block).
     */
    public GroupService groups() {
        return groups;
    }

    /**
     * The running cluster resource manager, if the config has a {@code crm} section. Its thread-safe methods
     * (e.g. the simple CRM's snapshot and submit) may be called from any thread.
     */
    public Optional<ClusterResourceManager> crm() {
        return Optional.ofNullable(crm).map(CrmHost::crm);
    }

    /** The node's fencer, if the config has a {@code fencing} section; any thread. */
    public Optional<org.ringmaster.crm.api.fencing.Fencer> fencer() {
        return Optional.ofNullable(fencer).map(FencerHost::service);
    }

    /** The transient attributes of node {@code nodeId} (e.g. {@code pingd}); any thread; never null. */
    public java.util.Map<String, String> attributes(int nodeId) {
        return attributes.of(nodeId);
    }

    /**
     * Asks the cluster to set (or, with a null value, remove) a transient attribute of a member; applied on every
     * member in ring order. Any thread.
     *
     * @return null when sent, else why not (bad name or value, not a member)
     */
    public String setAttribute(int nodeId, String name, String value) {
        return value == null ? attributes.delete(nodeId, name) : attributes.set(nodeId, name, value);
    }

    /** The id of the node called {@code nameOrId} in the node list (its name, or its id as digits). */
    public Optional<Integer> nodeIdOf(String nameOrId) {
        for (org.ringmaster.daemon.config.NodeConfig n : settings.cluster().nodes()) {
            int id = (int) n.nodeid();
            if (settings.nameOf(id).equals(nameOrId) || String.valueOf(id).equals(nameOrId)) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    /** The fencer with its admin operations ({@code ringctl fence ...}), if the config has a {@code fencing} section. */
    public Optional<FencerHost> fencing() {
        return Optional.ofNullable(fencer);
    }

    /** Subscribes to configuration changes; any thread. Close the result to unsubscribe. */
    public AutoCloseable subscribe(NodeEvents events) {
        subscriptions.add(events);
        return () -> subscriptions.remove(events);
    }

    /**
     * What to do once the node fenced itself (no-quorum-policy fence; see {@link #selfFence}): e.g. exit the
     * process so that the service manager restarts it. Runs on the agent thread; must not block. Any thread.
     */
    public void onSelfFenced(Runnable action) {
        this.onSelfFenced = action;
    }

    /**
     * The CRM's self-fence: the node stops taking part in the ring at the next duty cycle without announcing a
     * leave (the others see it lost and recover without it), its view says {@code FENCED}, and the
     * {@link #onSelfFenced} action runs. The CRM has already stopped its resources. Agent thread.
     */
    boolean selfFence(String reason) {
        if (selfFenceReason == null) {
            selfFenceReason = reason;
        }
        return true;
    }

    /** Asks the agent thread to leave the ring cleanly; any thread. */
    public void requestLeave() {
        leaveRequested = true;
    }

    /** Waits until the node has announced its leave (or was never started). */
    public boolean awaitLeft(long timeout, TimeUnit unit) throws InterruptedException {
        return left.await(timeout, unit);
    }

    /**
     * The idle strategy to run this node's agent with, made at the first call (before the agent
     * starts) and closed with the node. It sleeps on the ring's sockets between duty cycles: a token
     * hop wakes the agent at once instead of when a blind park ends (up to 1 ms per hop with the
     * backoff strategy used before), and an offer or an agent task wakes it too. It sleeps 1 ms at
     * most, so the CRM's, quorum's and devices' timers keep their resolution.
     */
    public synchronized SocketIdleStrategy idleStrategy() {
        if (idle == null) {
            SocketIdleStrategy made = new SocketIdleStrategy(transport, node::nextDeadlineNs);
            node.wakeOnOffer(made::wake);
            idle = made;
        }
        return idle;
    }

    @Override
    public void onStart() {
        now = System.nanoTime();
        node.start(now);
        if (ping != null) {
            ping.start();
        }
        publish();
    }

    @Override
    public int doWork() {
        now = System.nanoTime();
        if (hasLeft) {
            return 0;
        }
        if (selfFenceReason != null) {
            LOG.error("fenced itself ({}): out of the ring, without a leave, until restarted", selfFenceReason);
            hasLeft = true;
            view = new NodeView(settings.nodeId(), "FENCED", ringSeq, ringRep, new int[0], "SELF_FENCE",
                    configChanges.get(), view.quorum());
            left.countDown();
            onSelfFenced.run();
            return 1;
        }
        if (leaveRequested && leaveAt == Long.MAX_VALUE) {
            LOG.info("leaving the ring");
            leaveAt = now + (quorum != null ? LEAVE_GRACE_NS : 0);
            if (quorum != null) {
                quorum.leave();
            }
        }
        for (Runnable task; (task = agentTasks.poll()) != null; ) {
            task.run();
        }
        int work = node.doWork(now);
        if (liveQuorum != null) {
            work += liveQuorum.doWork(now); // the votes, and the quorum device
        }
        work += groups.doWork();
        work += attributes.doWork();
        quorateNow = isQuorate(now);
        if (crm != null) {
            work += crm.doWork(now);
        }
        if (now - leaveAt >= 0) {
            node.leave();
            hasLeft = true;
            view = new NodeView(settings.nodeId(), "LEFT", ringSeq, ringRep, new int[0], "LEAVE",
                    configChanges.get(), view.quorum());
            left.countDown();
            return 1;
        }
        TotemRing ring = node.ring();
        if (ring != currentRing) {
            TotemRing previous = currentRing;
            if (previous != null) {
                for (RingCounters.Counter c : RingCounters.Counter.values()) {
                    ringBase.addAndGet(c.ordinal(), previous.counters().get(c));
                }
            }
            currentRing = ring;
            lastTokenNs = ring == null ? 0 : ring.lastTokenNs();
        } else if (ring != null) {
            long tokenAt = ring.lastTokenNs();
            if (tokenAt != lastTokenNs) {
                // Time between two visits of the token on one ring: the rotation as this node sees it.
                if (lastTokenNs != 0) {
                    tokenRotation.record(tokenAt - lastTokenNs, TimeUnit.NANOSECONDS);
                }
                lastTokenNs = tokenAt;
            }
        }
        if (node.stateChanges() != seenStateChanges || (quorum != null && quorum.state() != seenQuorum)) {
            publish();
        }
        return work;
    }

    @Override
    public void onClose() {
        left.countDown();
        if (ping != null) {
            ping.close();
        }
        reload.close();
        try {
            if (crm != null) {
                crm.close();
            }
        } finally {
            try {
                if (fencer != null) {
                    fencer.close();
                }
            } finally {
                try {
                    closeDevice();
                } finally {
                    transport.close();
                    // After the transport: a socket registered with an open selector keeps its port.
                    if (idle != null) {
                        idle.close();
                    }
                }
            }
        }
    }

    @Override
    public String roleName() {
        return "ringmaster-node-" + settings.nodeId();
    }

    @Override
    public void onMessage(int sender, Guarantee guarantee, DirectBuffer buffer, int offset, int length) {
        // Only config reload speaks on the node's own sub-channel: anything else arriving there is malformed.
        if (!reload.onMessage(sender, buffer, offset, length)) {
            malformed.incrementAndGet();
        }
    }

    /**
     * Where this node's configuration came from, so that {@link #reload()} can re-read it, and how
     * to apply a new logging section (returning notes to report). Set by the daemon once started.
     */
    public void configSource(Path file, Function<LoggingConfig, List<String>> applyLogging) {
        reload.source(file, applyLogging);
    }

    /**
     * {@code ringctl config reload}: every member re-reads its configuration file, applies what is
     * safe and reports (see {@link ConfigReload}). Any thread.
     */
    public ReloadRequest reload() {
        return reload.request();
    }

    /** Runs {@code task} on the agent thread at its next duty cycle. */
    CompletableFuture<Void> onAgentThread(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        agentTasks.add(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        SocketIdleStrategy sleeping = idle;
        if (sleeping != null) {
            sleeping.wake();
        }
        return done;
    }

    boolean hasQuorum() {
        return quorum != null;
    }

    /** votequorum; agent thread only. */
    VoteQuorum quorumVotes() {
        return quorum;
    }

    /** The quorum device as of the last fraction of a second, when one is configured; any thread. */
    public Optional<DeviceStatus> quorumDevice() {
        return liveQuorum == null ? Optional.empty() : liveQuorum.deviceStatus();
    }

    private void closeDevice() {
        if (device instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing the quorum device {}: {}", device.name(), e.toString());
            }
        }
    }

    /**
     * Quorate as of the last duty cycle: by the votes and under the ring's token lease, what the CRM and
     * the fencer act on. A node whose ring has just failed may still hold a quorate vote table for its
     * old ring; this says no as soon as the lease runs out. Any thread.
     */
    public boolean quorate() {
        return quorateNow;
    }

    /** Quorate by the votes and under the ring's token lease ({@link EvsQuorum}); agent thread. */
    public boolean isQuorate(long nowNs) {
        return liveQuorum != null ? liveQuorum.isQuorate(nowNs) : node.hasLiveRing(nowNs);
    }

    @Override
    public void onConfigurationChange(ConfigurationChange change) {
        LOG.info("configuration {} ring {}/{} members {} joined {} left {} ({})",
                change.kind().name().toLowerCase(Locale.ROOT), change.ringSeq(), change.rep(),
                Arrays.toString(change.members()), Arrays.toString(change.joined()), Arrays.toString(change.left()),
                change.reason());
        if (change.isRegular()) {
            ringSeq = change.ringSeq();
            ringRep = change.rep();
            lastReason = change.reason().name();
            configChanges.incrementAndGet();
        }
        for (NodeEvents s : subscriptions) {
            s.onConfiguration(change);
        }
        publish();
    }

    private void publish() {
        seenStateChanges = node.stateChanges();
        seenQuorum = quorum == null ? null : quorum.state();
        view = new NodeView(settings.nodeId(), node.state().name(), ringSeq, ringRep, node.members(), lastReason,
                configChanges.get(), Optional.ofNullable(seenQuorum));
    }

    private void bindMetrics(MeterRegistry registry) {
        String id = String.valueOf(settings.nodeId());
        for (RingCounters.Counter c : RingCounters.Counter.values()) {
            // Cumulative over all rings this node was in: the ring object (and its counters) is
            // replaced at every configuration, so totem's RingMetrics cannot be bound once.
            FunctionCounter.builder("ringmaster.totem." + c.name().toLowerCase(Locale.ROOT).replace('_', '.'), this,
                    n -> n.ringCounter(c)).tag("node", id).register(registry);
        }
        Gauge.builder("ringmaster.totem.send.queue.bytes", this, n -> {
            TotemRing r = n.currentRing;
            return r == null ? 0 : r.queuedBytes();
        }).tag("node", id).register(registry);
        Gauge.builder("ringmaster.membership.members", this, n -> n.view.members().length).tag("node", id)
                .description("members of the installed configuration").register(registry);
        Gauge.builder("ringmaster.membership.operational", this, n -> "OPERATIONAL".equals(n.view.state()) ? 1 : 0)
                .tag("node", id).description("1 while the ring is operational").register(registry);
        Gauge.builder("ringmaster.membership.ring.seq", this, n -> n.view.ringSeq()).tag("node", id)
                .register(registry);
        tokenRotation = Timer.builder("ringmaster.totem.token.rotation").tag("node", id)
                .description("time between two receipts of the token by this node (an idle ring holds it)")
                .register(registry);
        if (redundant != null) {
            new LinkMetrics(redundant).bindTo(registry);
        } else {
            for (int peer : settings.links().get(0).nodes().keySet()) {
                if (peer != settings.nodeId()) {
                    Gauge.builder("ringmaster.membership.link.up", this, n -> n.isMember(peer) ? 1 : 0)
                            .tag("node", id).tag("peer", String.valueOf(peer)).tag("link", "0")
                            .description("1 while the link to that peer works (single link: the peer is a member)")
                            .register(registry);
                }
            }
        }
        FunctionCounter.builder("ringmaster.membership.configuration.changes", configChanges, AtomicLong::get)
                .tag("node", id).description("regular configurations delivered").register(registry);
        FunctionCounter.builder("ringmaster.daemon.messages.malformed", malformed, AtomicLong::get)
                .tag("node", id).description("ordered messages with an unknown service tag").register(registry);
        Gauge.builder("ringmaster.daemon.subscriptions", subscriptions, CopyOnWriteArrayList::size)
                .tag("node", id).description("clients following configuration changes").register(registry);
    }

    /**
     * Every link to every peer: with redundant links their heartbeat state, with one link whether
     * the peer is in the current configuration. Any thread.
     */
    public List<PeerLink> links() {
        List<PeerLink> out = new ArrayList<>();
        List<UdpConfig> links = settings.links();
        for (int l = 0; l < links.size(); l++) {
            for (Map.Entry<Integer, InetSocketAddress> e : new TreeMap<>(links.get(l).nodes()).entrySet()) {
                int peer = e.getKey();
                if (peer == settings.nodeId()) {
                    continue;
                }
                String address = e.getValue().getAddress().getHostAddress() + ":" + e.getValue().getPort();
                if (redundant != null) {
                    out.add(new PeerLink(l, peer, address, redundant.linkState(peer, l) == LinkState.UP, "heartbeat"));
                } else {
                    out.add(new PeerLink(l, peer, address, isMember(peer), "membership"));
                }
            }
        }
        return out;
    }

    private boolean isMember(int peer) {
        for (int m : view.members()) {
            if (m == peer) {
                return true;
            }
        }
        return false;
    }

    private double ringCounter(RingCounters.Counter c) {
        TotemRing r = currentRing;
        return ringBase.get(c.ordinal()) + (r == null ? 0 : r.counters().get(c));
    }
}
