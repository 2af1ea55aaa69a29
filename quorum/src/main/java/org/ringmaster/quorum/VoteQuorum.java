package org.ringmaster.quorum;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * votequorum for one node, as a deterministic single-threaded state machine. Membership calls
 * {@link #onConfigurationChange}, the ordered channel calls {@link #onMessage}, the owner's duty cycle
 * calls {@link #doWork(long)}. No clock reads, threads or locks inside.
 *
 * <p>Protocol. After every configuration change each member multicasts a NODE_INFO (its votes,
 * expected votes, wait_for_all / device / leaving flags and the last quorate partition it knows) in
 * agreed order. Until NODE_INFO from every member has been delivered the node runs on a provisional
 * verdict computed only over the members it already shared the previous configuration with (never
 * counting a newcomer's votes it has not heard). Once the last NODE_INFO is delivered the exchange is
 * complete and every member evaluates {@link QuorumRules} on identical inputs at the same point of the
 * total order, so all members agree. Runtime changes (expected votes, node votes, device votes,
 * cancel wait_for_all, clean leave, last_man_standing recalculation) are messages too, applied on
 * delivery; those delivered during the exchange are deferred and replayed after it in order.
 *
 * <p>Not thread-safe: call every method from the one duty-cycle thread, except {@link #state()} and
 * {@link #isQuorate()}, which any thread may read.
 */
public final class VoteQuorum
{
    private static final Logger LOG = LoggerFactory.getLogger(VoteQuorum.class);
    private static final int[] NO_NODES = new int[0];

    private final QuorumConfig config;
    private final int localNodeId;
    private final OrderedChannel channel;
    private final QuorumDevice device;
    private final QuorumListener listener;
    private final QuorumMetrics metrics;
    private final long lmsWindowNs;

    private int ownVotes;
    private int ownExpected;
    private boolean ownWaiting;
    private boolean ownLeaving;
    private boolean deviceCast;
    private RingId lastQuorateRing = RingId.NONE;
    private int[] lastQuorate = NO_NODES;

    private RingId ring = RingId.NONE;
    private int[] members = NO_NODES;
    private boolean synced;
    /** Agreed announcements: of the current ring once synced, else of the last ring that synced. */
    private final TreeMap<Integer, MemberVote> agreed = new TreeMap<>();
    private final TreeMap<Integer, MemberVote> incoming = new TreeMap<>();
    private RingId incomingLastQuorateRing = RingId.NONE;
    private int[] incomingLastQuorate = NO_NODES;
    private final ArrayDeque<byte[]> deferred = new ArrayDeque<>();
    private final ArrayDeque<byte[]> outbound = new ArrayDeque<>();
    private final Map<Integer, MemberVote> lastKnown = new TreeMap<>();

    private final ExpectedVotesStore evtStore;
    private int evtBarrier;
    private long nowNs;
    private long lmsDeadlineNs = -1;
    private QuorumRules.Verdict verdict;
    /** What {@link #verdict} was computed from, to re-evaluate it without our own withdrawn device claim. */
    private List<MemberVote> verdictInputs = List.of();
    private int[] verdictLastQuorate = NO_NODES;
    /** Volatile so status queries from other threads see a complete snapshot. */
    private volatile QuorumState published;

    private final QuorumCodec.Header header = new QuorumCodec.Header();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[QuorumCodec.HEADER_LENGTH + 28 + 4 * QuorumCodec.MAX_NODES]);

    /**
     * @param config       cluster quorum settings.
     * @param localNodeId  this node.
     * @param channel      agreed-order multicast to the current configuration.
     * @param deviceOrNull quorum device of this node, or null; requires {@code quorum.device.votes > 0}.
     * @param listener     receives every published {@link QuorumState}.
     * @param registryOrNull Micrometer registry for {@code ringmaster.quorum.*}, or null for none.
     */
    public VoteQuorum(final QuorumConfig config, final int localNodeId, final OrderedChannel channel,
        final QuorumDevice deviceOrNull, final QuorumListener listener, final MeterRegistry registryOrNull)
    {
        this(config, localNodeId, channel, deviceOrNull, listener, registryOrNull, null);
    }

    /**
     * @param evtStoreOrNull where {@code expected_votes_tracking} keeps its value; required when enabled.
     * @throws QuorumConfigException if tracking is enabled without a store or the stored value is unreadable.
     */
    public VoteQuorum(final QuorumConfig config, final int localNodeId, final OrderedChannel channel,
        final QuorumDevice deviceOrNull, final QuorumListener listener, final MeterRegistry registryOrNull,
        final ExpectedVotesStore evtStoreOrNull)
    {
        if (localNodeId <= 0)
        {
            throw new IllegalArgumentException("local node id must be positive, got " + localNodeId);
        }
        if (!config.nodeVotes().isEmpty() && !config.nodeVotes().containsKey(localNodeId))
        {
            throw new QuorumConfigException("nodelist", "local node " + localNodeId + " is not in the nodelist " +
                config.nodeVotes().keySet());
        }
        if (deviceOrNull != null && config.deviceVotes() == 0)
        {
            throw new QuorumConfigException("quorum.device.votes", "a quorum device is attached but its votes are 0");
        }
        this.config = config;
        this.localNodeId = localNodeId;
        this.channel = channel;
        this.device = deviceOrNull;
        this.listener = listener;
        this.metrics = new QuorumMetrics(registryOrNull, localNodeId);
        this.lmsWindowNs = config.lastManStandingWindowMs() * 1_000_000L;
        this.ownVotes = config.votesOf(localNodeId);
        this.ownExpected = config.expectedVotes();
        this.ownWaiting = config.waitForAll();
        this.evtStore = config.expectedVotesTracking() ? evtStoreOrNull : null;
        if (config.expectedVotesTracking())
        {
            if (evtStoreOrNull == null)
            {
                throw new QuorumConfigException("quorum.expected_votes_tracking", "enabled but no state file to keep it in");
            }
            try
            {
                evtBarrier = evtStoreOrNull.load();
            }
            catch (final java.io.IOException ex)
            {
                throw new QuorumConfigException("quorum.expected_votes_tracking", "cannot read " + evtStoreOrNull + ": " +
                    ex.getMessage());
            }
            if (evtBarrier > ownExpected)
            {
                LOG.info("node {}: expected_votes_tracking raises expected votes {} -> {}", localNodeId, ownExpected,
                    evtBarrier);
                ownExpected = evtBarrier;
            }
        }
        for (final Map.Entry<Integer, Integer> e : config.nodeVotes().entrySet())
        {
            lastKnown.put(e.getKey(), MemberVote.of(e.getKey(), e.getValue(), 0));
        }
        evaluate(List.of());
        this.published = buildState();
    }

    public int localNodeId()
    {
        return localNodeId;
    }

    /** The last published state. */
    public QuorumState state()
    {
        return published;
    }

    public boolean isQuorate()
    {
        return published.quorate();
    }

    /** Whether the vote exchange of the current ring has completed. */
    public boolean isSynced()
    {
        return synced;
    }

    /** One duty cycle: polls the device, fires the last_man_standing timer, flushes queued messages. */
    public int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        int work = 0;
        if (device != null)
        {
            work += device.doWork(nowNs);
            final boolean cast = device.castsVote();
            metrics.device(cast, device.score());
            if (cast != deviceCast)
            {
                deviceCast = cast;
                LOG.info("node {} ring {}: device {} {} its {} votes", localNodeId, ring, device.name(),
                    cast ? "casts" : "withdraws", config.deviceVotes());
                if (!ring.equals(RingId.NONE))
                {
                    send(QuorumCodec.Type.DEVICE_VOTE, cast ? 1 : 0);
                }
                if (!cast)
                {
                    // Until the withdrawal is delivered, the agreed table still holds our old claim:
                    // stop counting it here at once (see shownVerdict).
                    publish("device " + device.name() + " withdrew its vote");
                }
                work++;
            }
        }
        if (lmsDeadlineNs >= 0 && nowNs - lmsDeadlineNs >= 0)
        {
            lmsDeadlineNs = -1;
            LOG.info("node {} ring {}: last_man_standing window of {} ms passed, asking to recalculate",
                localNodeId, ring, config.lastManStandingWindowMs());
            send(QuorumCodec.Type.LMS_RECALC);
            work++;
        }
        return work + flush();
    }

    /** A new regular configuration from membership. Older or repeated ring ids are ignored. */
    public void onConfigurationChange(final ConfigurationChange change, final long nowNs)
    {
        this.nowNs = nowNs;
        if (!change.contains(localNodeId))
        {
            throw new IllegalArgumentException("node " + localNodeId + " is not a member of " + change);
        }
        if (change.ringId().compareTo(ring) <= 0)
        {
            LOG.warn("node {}: ignoring configuration {} not newer than current ring {}", localNodeId, change, ring);
            return;
        }
        metrics.configurationChange();
        final int[] previous = members;
        downscaleOnCleanLeave(change);
        ring = change.ringId();
        members = change.membersView();
        synced = false;
        incoming.clear();
        incomingLastQuorateRing = RingId.NONE;
        incomingLastQuorate = NO_NODES;
        deferred.clear();
        lmsDeadlineNs = -1;

        if (device != null)
        {
            // Re-evaluate the device at this instant: its last verdict may be a stalled duty cycle
            // old, and a claim carried into a new ring must be fresh (deadping/tko run to now).
            device.doWork(nowNs);
            deviceCast = device.castsVote(); // the NODE_INFO below announces it
        }
        // Provisional verdict over the members we already shared a configuration with. Their device
        // claims may be stale after a split, so only our own (fresh) claim counts until the exchange.
        final TreeMap<Integer, MemberVote> provisional = new TreeMap<>();
        for (final int id : members)
        {
            if (id == localNodeId)
            {
                provisional.put(id, ownVote());
            }
            else if (Arrays.binarySearch(previous, id) >= 0 && agreed.containsKey(id))
            {
                provisional.put(id, agreed.get(id).withDevice(false));
            }
        }
        evaluate(provisional.values());
        if (!verdict.quorate() && config.waitForAll())
        {
            ownWaiting = true;
        }
        publish("configuration change " + change);
        sendNodeInfo();
        flush();
    }

    /** A message delivered by the ordered channel (our own included). Malformed or stale ones are dropped. */
    public void onMessage(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        this.nowNs = nowNs;
        try
        {
            QuorumCodec.decodeHeader(buffer, offset, length, header);
        }
        catch (final QuorumCodec.MalformedMessageException ex)
        {
            metrics.malformed();
            LOG.warn("node {} ring {}: dropping malformed quorum message: {}", localNodeId, ring, ex.getMessage());
            return;
        }
        if (!header.ring.equals(ring) || Arrays.binarySearch(members, header.sender) < 0)
        {
            metrics.stale();
            LOG.debug("node {} ring {}: dropping {} from node {} of ring {}", localNodeId, ring, header.type,
                header.sender, header.ring);
            return;
        }
        if (header.type == QuorumCodec.Type.NODE_INFO)
        {
            onNodeInfo(buffer);
            return;
        }
        if (!synced)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            deferred.add(copy);
            return;
        }
        apply(buffer);
    }

    /** Runtime {@code setexpected}: takes effect on every member when delivered. */
    public void setExpectedVotes(final int expectedVotes)
    {
        if (expectedVotes < 1)
        {
            throw new IllegalArgumentException("expected_votes must be >= 1, got " + expectedVotes);
        }
        final int total = verdict.totalVotes();
        final int newQuorum = QuorumRules.quorumOf(Math.max(expectedVotes, total));
        if (synced && newQuorum > total)
        {
            throw new IllegalArgumentException("expected_votes " + expectedVotes + " would need " + newQuorum +
                " votes but only " + total + " are present");
        }
        send(QuorumCodec.Type.SET_EXPECTED, expectedVotes);
    }

    /** Runtime {@code setvotes} for a member node. */
    public void setVotes(final int nodeId, final int votes)
    {
        if (votes < 0)
        {
            throw new IllegalArgumentException("votes must be >= 0, got " + votes + " for node " + nodeId);
        }
        send(QuorumCodec.Type.SET_VOTES, nodeId, votes);
    }

    /** Runtime {@code quorum.cancel_wait_for_all}. */
    public void cancelWaitForAll()
    {
        send(QuorumCodec.Type.CANCEL_WFA);
    }

    /** Announce a clean leave before shutting down (lets allow_downscale lower expected votes). */
    public void leave()
    {
        send(QuorumCodec.Type.LEAVING);
    }

    private void onNodeInfo(final DirectBuffer buffer)
    {
        final int flags = QuorumCodec.intAt(buffer, header, 2);
        final MemberVote vote = new MemberVote(header.sender, QuorumCodec.intAt(buffer, header, 0),
            QuorumCodec.intAt(buffer, header, 1), (flags & QuorumCodec.FLAG_WAITING) != 0,
            (flags & QuorumCodec.FLAG_DEVICE_CAST) != 0, (flags & QuorumCodec.FLAG_LEAVING) != 0,
            (flags & QuorumCodec.FLAG_QUORATE) != 0);
        final RingId lqRing = QuorumCodec.nodeInfoLastQuorateRing(buffer, header);
        if (synced)
        {
            agreed.put(vote.nodeId(), vote);
            recompute("node info from " + vote.nodeId());
            return;
        }
        incoming.put(vote.nodeId(), vote);
        if (lqRing.compareTo(incomingLastQuorateRing) > 0)
        {
            incomingLastQuorateRing = lqRing;
            incomingLastQuorate = QuorumRules.sorted(QuorumCodec.nodeInfoLastQuorate(buffer, header));
        }
        if (incoming.size() == members.length)
        {
            completeSync();
        }
    }

    private void completeSync()
    {
        agreed.clear();
        agreed.putAll(incoming);
        incoming.clear();
        for (final MemberVote v : agreed.values())
        {
            lastKnown.put(v.nodeId(), v);
        }
        lastQuorateRing = incomingLastQuorateRing;
        lastQuorate = incomingLastQuorate;
        synced = true;
        metrics.synced();
        recompute("vote exchange complete");
        while (!deferred.isEmpty())
        {
            final byte[] m = deferred.poll();
            final UnsafeBuffer b = new UnsafeBuffer(m);
            try
            {
                QuorumCodec.decodeHeader(b, 0, m.length, header);
            }
            catch (final QuorumCodec.MalformedMessageException ex)
            {
                throw new IllegalStateException("deferred message was validated on arrival", ex);
            }
            apply(b);
        }
    }

    private void apply(final DirectBuffer buffer)
    {
        final int sender = header.sender;
        switch (header.type)
        {
            case SET_EXPECTED:
            {
                final int value = QuorumCodec.intAt(buffer, header, 0);
                if (value < 1)
                {
                    metrics.malformed();
                    return;
                }
                replaceAll(v -> v.withExpected(value));
                ownExpected = value;
                recompute("expected votes set to " + value + " by node " + sender);
                break;
            }
            case SET_VOTES:
            {
                final int node = QuorumCodec.intAt(buffer, header, 0);
                final int votes = QuorumCodec.intAt(buffer, header, 1);
                final MemberVote v = agreed.get(node);
                if (v == null || votes < 0)
                {
                    LOG.warn("node {} ring {}: ignoring votes {} for node {} which is not a member", localNodeId, ring,
                        votes, node);
                    return;
                }
                agreed.put(node, v.withVotes(votes));
                if (node == localNodeId)
                {
                    ownVotes = votes;
                }
                final int added = votes - v.votes();
                if (added > 0)
                {
                    // The cluster now holds more votes: expect them, or a partition cut off before the
                    // change would still count a majority of the old, smaller total.
                    replaceAll(m -> m.withExpected(m.expectedVotes() + added));
                    ownExpected += added;
                }
                recompute("votes of node " + node + " set to " + votes + " by node " + sender);
                break;
            }
            case DEVICE_VOTE:
            {
                final boolean cast = QuorumCodec.intAt(buffer, header, 0) != 0;
                agreed.put(sender, agreed.get(sender).withDevice(cast));
                recompute("device vote of node " + sender + (cast ? " cast" : " withdrawn"));
                break;
            }
            case CANCEL_WFA:
                replaceAll(v -> v.withWaiting(false));
                ownWaiting = false;
                recompute("wait_for_all cancelled by node " + sender);
                break;
            case LEAVING:
                agreed.put(sender, agreed.get(sender).withLeaving(true));
                if (sender == localNodeId)
                {
                    ownLeaving = true;
                }
                recompute("node " + sender + " announced a clean leave");
                break;
            case LMS_RECALC:
                if (config.lastManStanding() && verdict.quorate() && verdict.totalVotes() < verdict.expectedVotes())
                {
                    final int total = verdict.totalVotes();
                    replaceAll(v -> v.withExpected(total));
                    ownExpected = total;
                    recompute("last_man_standing lowered expected votes to " + total);
                }
                break;
            default:
                throw new IllegalStateException("unexpected " + header.type);
        }
    }

    private void replaceAll(final java.util.function.UnaryOperator<MemberVote> f)
    {
        agreed.replaceAll((k, v) -> f.apply(v));
    }

    /** Evaluates the agreed table and applies the effects every member applies identically. */
    private void recompute(final String reason)
    {
        evaluate(agreed.values());
        final int expected = verdict.expectedVotes();
        replaceAll(v -> v.withExpected(expected));
        ownExpected = expected;
        trackExpectedVotes(expected);
        if (verdict.quorate())
        {
            replaceAll(v -> v.withWaiting(false));
            ownWaiting = false;
            lastQuorateRing = ring;
            lastQuorate = members;
        }
        else if (config.waitForAll())
        {
            replaceAll(v -> v.withWaiting(true));
            ownWaiting = true;
        }
        if (config.lastManStanding() && verdict.quorate() && verdict.totalVotes() < verdict.expectedVotes())
        {
            if (lmsDeadlineNs < 0)
            {
                lmsDeadlineNs = nowNs + lmsWindowNs;
            }
        }
        else
        {
            lmsDeadlineNs = -1;
        }
        for (final MemberVote v : agreed.values())
        {
            lastKnown.put(v.nodeId(), v);
        }
        publish(reason);
    }

    private void evaluate(final java.util.Collection<MemberVote> votes)
    {
        verdictInputs = List.copyOf(votes);
        verdictLastQuorate = lastQuorate;
        verdict = QuorumRules.evaluate(config, verdictInputs, verdictLastQuorate);
    }

    /**
     * The verdict this node reports: the agreed one, except that a device claim of ours which our
     * device has withdrawn since is not counted. The withdrawal reaches the others in total order, but
     * this node must not stay quorate on the stale claim until then (e.g. a qdisk master that lost the
     * disk while the others are about to elect a new master). Only ever less quorate than the others
     * think, never more, so the partition invariant holds.
     */
    private QuorumRules.Verdict shownVerdict()
    {
        if (device == null || deviceCast || !verdict.deviceCounted())
        {
            return verdict;
        }
        boolean ownClaim = false;
        final List<MemberVote> masked = new ArrayList<>(verdictInputs.size());
        for (final MemberVote v : verdictInputs)
        {
            if (v.nodeId() == localNodeId && v.castsDeviceVote())
            {
                ownClaim = true;
                masked.add(v.withDevice(false));
            }
            else
            {
                masked.add(v);
            }
        }
        return ownClaim ? QuorumRules.evaluate(config, masked, verdictLastQuorate) : verdict;
    }

    private void trackExpectedVotes(final int expected)
    {
        if (evtStore == null || expected <= evtBarrier)
        {
            return;
        }
        try
        {
            evtStore.save(expected);
            evtBarrier = expected;
        }
        catch (final java.io.IOException ex)
        {
            // Not fatal: the in-memory value is right; only a restart would start lower. Retried next time.
            LOG.error("node {}: cannot store expected votes {} in {}: {}", localNodeId, expected, evtStore, ex.getMessage());
        }
    }

    private void downscaleOnCleanLeave(final ConfigurationChange change)
    {
        final int[] left = change.leftView();
        if (!config.allowDownscale() || left.length == 0 || !synced)
        {
            return;
        }
        int leftVotes = 0;
        for (final int id : left)
        {
            final MemberVote v = agreed.get(id);
            if (v == null || !v.leaving())
            {
                return; // only a clean leave of every departed node lowers expected votes
            }
            leftVotes += v.votes();
        }
        int remaining = 0;
        for (final int id : change.membersView())
        {
            final MemberVote v = agreed.get(id);
            remaining += id == localNodeId ? ownVotes : (v != null ? v.votes() : 0);
        }
        final int floor = Math.max(config.configuredExpectedVotes(), remaining);
        final int lowered = Math.max(floor, ownExpected - leftVotes);
        if (lowered < ownExpected)
        {
            LOG.info("node {}: allow_downscale lowers expected votes {} -> {} after clean leave of {}", localNodeId,
                ownExpected, lowered, Arrays.toString(left));
            ownExpected = lowered;
        }
    }

    private MemberVote ownVote()
    {
        return new MemberVote(localNodeId, ownVotes, ownExpected, ownWaiting, deviceCast, ownLeaving, verdict.quorate());
    }

    private void sendNodeInfo()
    {
        final int flags = (ownWaiting ? QuorumCodec.FLAG_WAITING : 0) | (deviceCast ? QuorumCodec.FLAG_DEVICE_CAST : 0) |
            (ownLeaving ? QuorumCodec.FLAG_LEAVING : 0) | (verdict.quorate() ? QuorumCodec.FLAG_QUORATE : 0);
        final int len = QuorumCodec.encodeNodeInfo(scratch, 0, ring, localNodeId, ownVotes, ownExpected, flags,
            lastQuorateRing, lastQuorate);
        queue(len);
    }

    private void send(final QuorumCodec.Type type, final int... values)
    {
        queue(QuorumCodec.encodeInts(scratch, 0, type, ring, localNodeId, values));
    }

    private void queue(final int length)
    {
        final byte[] m = new byte[length];
        scratch.getBytes(0, m);
        outbound.add(m);
    }

    private int flush()
    {
        int sent = 0;
        while (!outbound.isEmpty())
        {
            final byte[] m = outbound.peek();
            if (!channel.multicast(new UnsafeBuffer(m), 0, m.length))
            {
                break; // back-pressure: retry next duty cycle
            }
            outbound.poll();
            sent++;
        }
        return sent;
    }

    private void publish(final String reason)
    {
        final QuorumState previous = published;
        final QuorumState next = buildState();
        if (next.equals(previous))
        {
            return;
        }
        published = next;
        metrics.published(next, previous.quorate());
        if (next.quorate() != previous.quorate())
        {
            LOG.info("node {} ring {}: {} -> {} total={} expected={} quorum={} ({})", localNodeId, ring,
                previous.quorate() ? "QUORATE" : "inquorate", next.quorate() ? "QUORATE" : "inquorate",
                next.totalVotes(), next.expectedVotes(), next.quorum(), reason);
        }
        else
        {
            LOG.debug("node {} ring {}: {} ({})", localNodeId, ring, next, reason);
        }
        listener.onQuorumChange(next);
    }

    private QuorumState buildState()
    {
        final QuorumRules.Verdict verdict = shownVerdict();
        final EnumSet<QuorumFlag> flags = EnumSet.noneOf(QuorumFlag.class);
        if (verdict.quorate())
        {
            flags.add(QuorumFlag.QUORATE);
        }
        if (verdict.twoNodeActive())
        {
            flags.add(QuorumFlag.TWO_NODE);
        }
        if (config.waitForAll())
        {
            flags.add(QuorumFlag.WAIT_FOR_ALL);
        }
        if (verdict.waitingForAll())
        {
            flags.add(QuorumFlag.WAITING_FOR_ALL);
        }
        if (config.lastManStanding())
        {
            flags.add(QuorumFlag.LAST_MAN_STANDING);
        }
        if (config.autoTieBreaker())
        {
            flags.add(QuorumFlag.AUTO_TIE_BREAKER);
        }
        if (verdict.tieBroken())
        {
            flags.add(QuorumFlag.TIE_BROKEN);
        }
        if (config.allowDownscale())
        {
            flags.add(QuorumFlag.ALLOW_DOWNSCALE);
        }
        if (config.deviceVotes() > 0)
        {
            flags.add(QuorumFlag.QUORUM_DEVICE);
        }
        if (verdict.deviceCounted())
        {
            flags.add(QuorumFlag.QUORUM_DEVICE_CAST_VOTE);
        }
        if (!synced)
        {
            flags.add(QuorumFlag.SYNCING);
        }
        final TreeSet<Integer> ids = new TreeSet<>(lastKnown.keySet());
        for (final int m : members)
        {
            ids.add(m);
        }
        ids.add(localNodeId);
        final List<NodeStatus> nodes = new ArrayList<>(ids.size());
        for (final int id : ids)
        {
            final boolean member = Arrays.binarySearch(members, id) >= 0;
            MemberVote v = id == localNodeId ? ownVote() : (synced && member ? agreed.get(id) : lastKnown.get(id));
            if (v == null)
            {
                v = MemberVote.of(id, config.votesOf(id), 0);
            }
            final NodeStatus.State st = !member ? NodeStatus.State.DEAD :
                v.leaving() ? NodeStatus.State.LEAVING : NodeStatus.State.MEMBER;
            nodes.add(new NodeStatus(id, v.votes(), v.expectedVotes(), st));
        }
        return new QuorumState(ring, verdict.quorate(), verdict.totalVotes(), verdict.expectedVotes(), verdict.quorum(),
            flags, nodes);
    }
}
