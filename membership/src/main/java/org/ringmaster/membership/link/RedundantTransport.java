package org.ringmaster.membership.link;

import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.LongSupplier;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.membership.link.LinkCounters.Counter;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;
import org.ringmaster.totem.transport.TransportCounters.Drop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Transport} over up to {@value RedundantConfig#MAX_LINKS} link transports (ring0_addr,
 * ring1_addr, ...), each reaching the same nodes over its own network. The ring above sees one
 * transport; losing a link costs it at most a short delay.
 *
 * <p>Every datagram gets a link header (layout in the package documentation) with the sender's
 * session and a per-sender sequence, so the receiver hands each datagram up once however many links
 * carried it. {@link LinkMode#PASSIVE} sends on the preferred link that is up for that peer (highest
 * {@code knet_link_priority}, then lowest link number), and on the next one as well while the
 * preferred link misses answers; {@link LinkMode#ACTIVE} sends on every link that is up. With no
 * link up to a peer, datagrams go out on every link, so traffic resumes the moment a network
 * returns. Link health comes from ping/pong heartbeats per (peer, link), run from {@link #poll} on
 * the injected clock; changes go to the {@link LinkListener}, the {@link LinkCounters} and the log.
 *
 * <p>Own {@link #counters()}: {@code sent} counts datagrams accepted by at least one link,
 * {@code received} frames read on any link; drops are {@link Drop#BAD_LENGTH} (shorter than the
 * header), {@link Drop#UNKNOWN_SENDER} and {@link Drop#SEND_FAILED} (no link took it). Each link
 * keeps its own counters. Copies and malformed frames are in {@link #linkCounters()}.
 *
 * <p>The link header is not authenticated here: to authenticate it, wrap each link transport in
 * {@code SecureTransport} and this around them. Not thread-safe, like every transport; the handler
 * may send from inside {@code onDatagram}. Nothing is allocated per datagram.
 */
public final class RedundantTransport implements Transport
{
    /** How long a sender's session must be silent before an older-looking session may replace it. */
    static final long SESSION_TAKEOVER_NS = TimeUnit.SECONDS.toNanos(2);
    private static final Logger LOG = LoggerFactory.getLogger(RedundantTransport.class);
    private static final int NO_PEER = -1;
    private static final int NONE = -1;
    private static final int MIN_PAYLOAD = 64;
    private static final int LOG_EVERY = 10_000;

    private final Transport[] links;
    private final int linkCount;
    private final LinkMode mode;
    private final int localNodeId;
    private final int[] peerIds;
    private final Int2IntHashMap peerIndex = new Int2IntHashMap(NO_PEER);
    private final int maxPayload;
    private final LongSupplier nanoClock;
    private final LinkListener listener;
    private final long session;
    private final TransportCounters counters = new TransportCounters();
    private final LinkCounters linkCounters;
    private final LinkHealth health;
    private final DuplicateWindow[] windows;
    private final int[] linkOrder;
    private final int[] preferred;
    private final int[] backup;
    private final AtomicIntegerArray upView;
    private final UnsafeBuffer sendFrame;
    private final UnsafeBuffer pingFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(LinkFrame.HEADER_LENGTH));
    private final UnsafeBuffer pongFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(LinkFrame.HEADER_LENGTH));
    private final DatagramHandler[] receivers;
    private final long stallNs;
    private long seq;
    private long now;
    private long nextTimerNs;
    private DatagramHandler handler;
    private int delivered;
    private int pollStart;
    private long malformed;
    private long lastPollNs;
    private boolean polled;
    private long stalls;

    /**
     * @param links    the link transports, index = link number; all bound for the same local node.
     * @param nodeIds  the node list, this node included; the same on every link.
     * @param config   mode, priorities and heartbeat settings.
     * @param listener told of link state changes, on the agent thread.
     * @param nanoClock monotonic time in ns (e.g. {@code System::nanoTime}), read once per poll.
     */
    public RedundantTransport(
        final List<? extends Transport> links,
        final Collection<Integer> nodeIds,
        final RedundantConfig config,
        final LinkListener listener,
        final LongSupplier nanoClock)
    {
        this(links, nodeIds, config, listener, nanoClock, newSessionId());
    }

    RedundantTransport(
        final List<? extends Transport> links,
        final Collection<Integer> nodeIds,
        final RedundantConfig config,
        final LinkListener listener,
        final LongSupplier nanoClock,
        final long session)
    {
        Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        if (links == null || links.isEmpty() || links.size() > RedundantConfig.MAX_LINKS)
        {
            throw new IllegalArgumentException("RedundantTransport needs 1.." + RedundantConfig.MAX_LINKS
                + " links, not " + (links == null ? 0 : links.size()));
        }
        this.links = links.toArray(new Transport[0]);
        this.linkCount = this.links.length;
        for (int link = 0; link < linkCount; link++)
        {
            Objects.requireNonNull(this.links[link], "link " + link);
        }
        this.localNodeId = this.links[0].localNodeId();
        int smallest = Integer.MAX_VALUE;
        for (int link = 0; link < linkCount; link++)
        {
            if (this.links[link].localNodeId() != localNodeId)
            {
                throw new IllegalArgumentException("link " + link + " is bound for node "
                    + this.links[link].localNodeId() + " but link 0 for node " + localNodeId);
            }
            smallest = Math.min(smallest, this.links[link].maxDatagramLength());
        }
        this.maxPayload = smallest - LinkFrame.HEADER_LENGTH;
        if (maxPayload < MIN_PAYLOAD)
        {
            throw new IllegalArgumentException("RedundantTransport: a link's maxDatagramLength " + smallest
                + " leaves less than " + MIN_PAYLOAD + " bytes after the " + LinkFrame.HEADER_LENGTH + "-byte link header");
        }
        final Set<Integer> ids = new LinkedHashSet<>(nodeIds);
        if (!ids.contains(localNodeId))
        {
            throw new IllegalArgumentException(
                "RedundantTransport: local node " + localNodeId + " is not in the node list " + ids);
        }
        ids.remove(localNodeId);
        this.peerIds = ids.stream().mapToInt(Integer::intValue).toArray();
        for (int peer = 0; peer < peerIds.length; peer++)
        {
            peerIndex.put(peerIds[peer], peer);
        }
        this.mode = config.mode();
        this.session = session;
        this.linkCounters = new LinkCounters(linkCount);
        this.now = nanoClock.getAsLong();
        this.health = new LinkHealth(peerIds.length, linkCount, config, now);
        this.nextTimerNs = now;
        this.lastPollNs = now;
        long shortestInterval = Long.MAX_VALUE;
        for (int link = 0; link < linkCount; link++)
        {
            shortestInterval = Math.min(shortestInterval, config.pingIntervalNs(link));
        }
        this.stallNs = shortestInterval;
        this.windows = new DuplicateWindow[peerIds.length];
        for (int peer = 0; peer < peerIds.length; peer++)
        {
            windows[peer] = new DuplicateWindow(SESSION_TAKEOVER_NS);
        }
        this.linkOrder = preferenceOrder(config, linkCount);
        this.preferred = new int[peerIds.length];
        this.backup = new int[peerIds.length];
        Arrays.fill(preferred, NONE);
        Arrays.fill(backup, NONE);
        this.upView = new AtomicIntegerArray(peerIds.length * linkCount);
        this.sendFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(smallest));
        this.receivers = new DatagramHandler[linkCount];
        for (int link = 0; link < linkCount; link++)
        {
            final int l = link;
            receivers[link] = (buffer, offset, length) -> onLinkDatagram(l, buffer, offset, length);
        }
        LOG.info("node {}: {} link(s) in {} mode, preference {}, {} bytes of link header; {}",
            localNodeId, linkCount, mode.configName(), Arrays.toString(linkOrder), LinkFrame.HEADER_LENGTH, config);
    }

    /** Session id: start time in unix ms (high bits, so later sessions compare greater) and 20 random bits. */
    static long newSessionId()
    {
        return System.currentTimeMillis() << DuplicateWindow.SESSION_RANDOM_BITS
            | ThreadLocalRandom.current().nextInt(1 << DuplicateWindow.SESSION_RANDOM_BITS);
    }

    /** Link numbers, most preferred first: highest priority, then lowest number. */
    static int[] preferenceOrder(final RedundantConfig config, final int links)
    {
        final Integer[] order = new Integer[links];
        for (int link = 0; link < links; link++)
        {
            order[link] = link;
        }
        Arrays.sort(order, (a, b) -> config.priority(a) != config.priority(b)
            ? Integer.compare(config.priority(b), config.priority(a)) : Integer.compare(a, b));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int localNodeId()
    {
        return localNodeId;
    }

    /** The smallest link's limit minus the link header. */
    @Override
    public int maxDatagramLength()
    {
        return maxPayload;
    }

    @Override
    public boolean unicast(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final int peer = peerIndex.get(nodeId);
        if (peer == NO_PEER)
        {
            throw new IllegalArgumentException("node " + localNodeId + ": node " + nodeId
                + " is not a peer in the node list " + Arrays.toString(peerIds));
        }
        final int frameLength = frame(buffer, offset, length);
        boolean sent = false;
        for (int link = 0; link < linkCount; link++)
        {
            if (sendsOn(peer, link))
            {
                LinkFrame.putLink(sendFrame, link);
                if (links[link].unicast(nodeId, sendFrame, 0, frameLength))
                {
                    linkCounters.increment(link, Counter.DATA_SENT);
                    sent = true;
                }
            }
        }
        return account(sent);
    }

    /**
     * Sends on each link the datagram is due on: one multicast of the link when it is due to every
     * peer, otherwise unicasts to the peers it is due to. {@code false} only when no link took it,
     * so a retry cannot reach anyone twice with different sequence numbers.
     */
    @Override
    public boolean multicast(final DirectBuffer buffer, final int offset, final int length)
    {
        final int frameLength = frame(buffer, offset, length);
        if (peerIds.length == 0)
        {
            return account(true);
        }
        boolean sent = false;
        for (int link = 0; link < linkCount; link++)
        {
            int due = 0;
            for (int peer = 0; peer < peerIds.length; peer++)
            {
                if (sendsOn(peer, link))
                {
                    due++;
                }
            }
            if (due == 0)
            {
                continue;
            }
            LinkFrame.putLink(sendFrame, link);
            boolean linkSent = false;
            if (due == peerIds.length)
            {
                linkSent = links[link].multicast(sendFrame, 0, frameLength);
            }
            else
            {
                for (int peer = 0; peer < peerIds.length; peer++)
                {
                    if (sendsOn(peer, link) && links[link].unicast(peerIds[peer], sendFrame, 0, frameLength))
                    {
                        linkSent = true;
                    }
                }
            }
            if (linkSent)
            {
                linkCounters.increment(link, Counter.DATA_SENT);
                sent = true;
            }
        }
        return account(sent);
    }

    private int frame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0 || length > maxPayload)
        {
            throw new IllegalArgumentException("node " + localNodeId + ": datagram of " + length
                + " bytes exceeds maxDatagramLength " + maxPayload);
        }
        LinkFrame.put(sendFrame, LinkFrame.TYPE_DATA, 0, localNodeId, session, ++seq);
        buffer.getBytes(offset, sendFrame, LinkFrame.HEADER_LENGTH, length);
        return LinkFrame.HEADER_LENGTH + length;
    }

    private boolean account(final boolean sent)
    {
        if (sent)
        {
            counters.sent();
        }
        else
        {
            counters.drop(Drop.SEND_FAILED);
        }
        return sent;
    }

    /** Whether a data datagram to {@code peer} goes out on {@code link} now. */
    private boolean sendsOn(final int peer, final int link)
    {
        final int best = preferred[peer];
        if (best == NONE)
        {
            return true; // no link known to work: try them all
        }
        if (mode == LinkMode.ACTIVE)
        {
            return health.up(peer, link);
        }
        if (link == best)
        {
            return true;
        }
        if (!health.suspect(peer, best))
        {
            return false;
        }
        // The preferred link missed an answer: cover the gap until it is declared down (or recovers).
        final int next = backup[peer];
        return next == NONE || link == next;
    }

    /**
     * Reads up to {@code limit} frames from all links (handing data up, answering pings), then runs
     * the heartbeat timers. Call it at least once per {@code knet_ping_interval}; a longer gap is
     * taken as a pause of this node and not counted against the links.
     */
    @Override
    public int poll(final DatagramHandler handler, final int limit)
    {
        now = nanoClock.getAsLong();
        final long sinceLastPoll = now - lastPollNs;
        lastPollNs = now;
        if (sinceLastPoll > stallNs && polled)
        {
            stalled(sinceLastPoll);
        }
        polled = true;
        this.handler = handler;
        this.delivered = 0;
        try
        {
            // Read first: answers already waiting in a socket must not be timed out by the timers below.
            int budget = limit;
            for (int i = 0; i < linkCount && budget > 0; i++)
            {
                final int link = (pollStart + i) % linkCount;
                budget -= links[link].poll(receivers[link], budget);
            }
            pollStart = pollStart + 1 == linkCount ? 0 : pollStart + 1;
        }
        finally
        {
            this.handler = null;
        }
        if (now >= nextTimerNs)
        {
            runTimers();
        }
        return delivered;
    }

    /** Not polled for a while (a GC pause, a starved CPU): our peers did not stop answering meanwhile. */
    private void stalled(final long gapNs)
    {
        health.paused(gapNs);
        if (stalls++ % LOG_EVERY == 0)
        {
            LOG.warn("node {}: not polled for {} ms (more than knet_ping_interval): link timeouts held back"
                + " by that much ({} such pauses so far)", localNodeId, TimeUnit.NANOSECONDS.toMillis(gapNs), stalls);
        }
    }

    private void runTimers()
    {
        long next = LinkHealth.NEVER;
        for (int peer = 0; peer < peerIds.length; peer++)
        {
            boolean down = false;
            for (int link = 0; link < linkCount; link++)
            {
                if (health.timedOut(peer, link, now))
                {
                    report(peer, link, LinkState.DOWN);
                    down = true;
                }
                if (health.pingDue(peer, link, now))
                {
                    LinkFrame.put(pingFrame, LinkFrame.TYPE_PING, link, localNodeId, session, now);
                    if (links[link].unicast(peerIds[peer], pingFrame, 0, LinkFrame.HEADER_LENGTH))
                    {
                        linkCounters.increment(link, Counter.PINGS_SENT);
                    }
                    health.pingSent(peer, link, now);
                }
                next = Math.min(next, health.nextDeadlineNs(peer, link));
            }
            if (down)
            {
                choose(peer); // once for all links that timed out together: no failover to a link about to go too
            }
        }
        nextTimerNs = next;
    }

    private void onLinkDatagram(final int link, final DirectBuffer buffer, final int offset, final int length)
    {
        counters.received();
        if (length < LinkFrame.HEADER_LENGTH)
        {
            counters.drop(Drop.BAD_LENGTH);
            return;
        }
        final int type = LinkFrame.type(buffer, offset);
        if (LinkFrame.version(buffer, offset) != LinkFrame.VERSION || LinkFrame.flags(buffer, offset) != 0
            || LinkFrame.link(buffer, offset) != link || type < LinkFrame.TYPE_DATA || type > LinkFrame.TYPE_PONG)
        {
            malformed(link, buffer, offset);
            return;
        }
        final int sender = LinkFrame.sender(buffer, offset);
        final int peer = peerIndex.get(sender);
        if (peer == NO_PEER)
        {
            counters.drop(Drop.UNKNOWN_SENDER);
            return;
        }
        switch (type)
        {
            case LinkFrame.TYPE_DATA -> onData(link, peer, buffer, offset, length);
            case LinkFrame.TYPE_PING ->
            {
                LinkFrame.put(pongFrame, LinkFrame.TYPE_PONG, link, localNodeId, session, LinkFrame.seq(buffer, offset));
                links[link].unicast(sender, pongFrame, 0, LinkFrame.HEADER_LENGTH);
            }
            default ->
            {
                linkCounters.increment(link, Counter.PONGS_RECEIVED);
                if (health.pongReceived(peer, link, LinkFrame.seq(buffer, offset), now))
                {
                    report(peer, link, LinkState.UP);
                    choose(peer);
                }
                nextTimerNs = Math.min(nextTimerNs, health.nextDeadlineNs(peer, link));
            }
        }
    }

    private void onData(final int link, final int peer, final DirectBuffer buffer, final int offset, final int length)
    {
        linkCounters.increment(link, Counter.DATA_RECEIVED);
        if (!windows[peer].accept(LinkFrame.session(buffer, offset), LinkFrame.seq(buffer, offset), now))
        {
            linkCounters.increment(link, Counter.DUPLICATES);
            return;
        }
        delivered++;
        handler.onDatagram(buffer, offset + LinkFrame.HEADER_LENGTH, length - LinkFrame.HEADER_LENGTH);
    }

    private void malformed(final int link, final DirectBuffer buffer, final int offset)
    {
        linkCounters.increment(link, Counter.MALFORMED);
        if (malformed++ % LOG_EVERY == 0)
        {
            LOG.warn("node {}: dropped a frame on link {} with version {}, type {}, flags {}, link number {}"
                + " (is linknumber/ringN_addr the same on every node, and every node this version?) ({} such so far)",
                localNodeId, link, LinkFrame.version(buffer, offset), LinkFrame.type(buffer, offset),
                LinkFrame.flags(buffer, offset), LinkFrame.link(buffer, offset), malformed);
        }
    }

    /** Count, log and announce one change; the caller then re-chooses the peer's links. */
    private void report(final int peer, final int link, final LinkState state)
    {
        final int nodeId = peerIds[peer];
        upView.set(peer * linkCount + link, state == LinkState.UP ? 1 : 0);
        if (state == LinkState.UP)
        {
            linkCounters.increment(link, Counter.UP);
            LOG.info("node {}: link {} to node {} is up (round trip {} us)",
                localNodeId, link, nodeId, TimeUnit.NANOSECONDS.toMicros(health.lastRttNs(peer, link)));
        }
        else
        {
            linkCounters.increment(link, Counter.DOWN);
            LOG.warn("node {}: link {} to node {} is down: no answer to pings for more than {} ms",
                localNodeId, link, nodeId, TimeUnit.NANOSECONDS.toMillis(pingTimeoutNs(link)));
        }
        try
        {
            listener.onLinkState(nodeId, link, state);
        }
        catch (final RuntimeException ex)
        {
            LOG.error("node {}: link listener failed on link {} to node {} {}", localNodeId, link, nodeId, state, ex);
        }
    }

    private long pingTimeoutNs(final int link)
    {
        return health.timeoutNs(link);
    }

    /** Pick the preferred and backup links of a peer after a change, and log what passive mode now does. */
    private void choose(final int peer)
    {
        int best = NONE;
        int next = NONE;
        for (final int link : linkOrder)
        {
            if (health.up(peer, link))
            {
                if (best == NONE)
                {
                    best = link;
                }
                else if (next == NONE)
                {
                    next = link;
                }
            }
        }
        final int was = preferred[peer];
        preferred[peer] = best;
        backup[peer] = next;
        if (best == was)
        {
            return;
        }
        if (best == NONE)
        {
            LOG.warn("node {}: no link to node {} is up: sending on all {} links until one answers",
                localNodeId, peerIds[peer], linkCount);
        }
        else if (mode == LinkMode.PASSIVE)
        {
            if (was != NONE)
            {
                linkCounters.failover();
            }
            LOG.info("node {}: sending to node {} on link {}{}", localNodeId, peerIds[peer], best,
                was == NONE ? "" : " instead of link " + was);
        }
    }

    /**
     * Whether a link to a peer is up, as the heartbeats see it; readable from any thread.
     *
     * @throws IllegalArgumentException for a node that is not a peer or a link out of range.
     */
    public LinkState linkState(final int nodeId, final int link)
    {
        final int peer = peerIndex.get(nodeId);
        if (peer == NO_PEER || link < 0 || link >= linkCount)
        {
            throw new IllegalArgumentException("node " + localNodeId + ": no link " + link + " to node " + nodeId);
        }
        return upView.get(peer * linkCount + link) == 1 ? LinkState.UP : LinkState.DOWN;
    }

    /** The other nodes of the node list, in its order. */
    public int[] peerIds()
    {
        return peerIds.clone();
    }

    /** Number of links. */
    public int linkCount()
    {
        return linkCount;
    }

    public LinkMode mode()
    {
        return mode;
    }

    /** Per-link counters; readable from any thread. */
    public LinkCounters linkCounters()
    {
        return linkCounters;
    }

    /** The counters of one link's own transport. */
    public TransportCounters linkTransportCounters(final int link)
    {
        return links[link].counters();
    }

    @Override
    public TransportCounters counters()
    {
        return counters;
    }

    /** Every link's sockets: a datagram on any link wakes the agent. */
    @Override
    public List<SelectableChannel> readableChannels()
    {
        final List<SelectableChannel> all = new ArrayList<>();
        for (final Transport link : links)
        {
            all.addAll(link.readableChannels());
        }
        return List.copyOf(all);
    }

    /** Closes every link. */
    @Override
    public void close()
    {
        for (int link = 0; link < linkCount; link++)
        {
            try
            {
                links[link].close();
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("node {}: closing link {} failed", localNodeId, link, ex);
            }
        }
    }

    /** This process's session id (diagnostics and tests). */
    long session()
    {
        return session;
    }
}
