package org.ringmaster.membership;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.ringmaster.membership.ConfigurationChange.Kind;
import org.ringmaster.membership.ConfigurationChange.Reason;
import org.ringmaster.totem.DeliveryListener;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.RingEvents;
import org.ringmaster.totem.RingId;
import org.ringmaster.totem.TotemConfig;
import org.ringmaster.totem.TotemRing;
import org.ringmaster.totem.codec.DecodeError;
import org.ringmaster.totem.codec.HeaderFlyweight;
import org.ringmaster.totem.codec.MessageType;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a dynamic Totem ring: the membership protocol of Amir, Moser, Melliar-Smith et al.,
 * "The Totem Single-Ring Ordering and Membership Protocol", ACM TOCS 13(4), 1995, §6-7 (Gather,
 * Commit, Recovery, Operational), delivering extended virtual synchrony (Moser et al., ICDCS 1994).
 * Ordering within a ring is {@link TotemRing}'s.
 *
 * <p>Deviations from the paper, and why:
 * <ul>
 *   <li>Recovery runs on the new ring's own ordering: each member multicasts the old-ring
 *       datagrams it holds above the lowest old-ring aru of its transitional configuration
 *       (encapsulated), then a done marker. A member installs when it has delivered every new
 *       member's marker, i.e. at the same point of the new ring's total order everywhere, so no
 *       retransmit-flag rotations are counted and no new-ring message can precede installation.</li>
 *   <li>Failure to receive follows the paper: the node named by aruId is put in the fail set.</li>
 *   <li>Stale traffic from a member of our ring with a lower ring seq is dropped rather than
 *       treated as foreign (TOTEM-NOTES pitfall 12).</li>
 *   <li>A clean leave is announced with LEAVE; receivers fail the sender at once and gather.</li>
 * </ul>
 *
 * <p>Single-threaded: {@link #doWork(long)} runs on one agent thread (or a simulation) with the
 * current time; {@link #offer} may be called from any thread.
 */
public final class TotemNode implements EvsChannel, RingEvents
{
    private static final Logger LOG = LoggerFactory.getLogger(TotemNode.class);
    private static final long OFF = Long.MAX_VALUE;
    private static final byte RECOVERED = 1;
    private static final byte RECOVERY_DONE = 2;
    private static final int POLL_LIMIT = 256;

    /** Membership states (Totem SRP §6.2), codes stable for metrics. */
    public enum State
    {
        OPERATIONAL,
        GATHER,
        COMMIT,
        RECOVERY
    }

    private final MembershipConfig config;
    private final TotemConfig totem;
    private final Transport transport;
    private final int self;
    private final NodeSet configured;
    private final ManyToOneRingBuffer appQueue;
    private final ManyToOneRingBuffer recoveryQueue;
    private volatile Runnable offerWake = () -> { };
    private EvsListener listener = new EvsListener()
    {
        @Override
        public void onMessage(final int sender, final Guarantee guarantee, final DirectBuffer buffer, final int offset,
            final int length)
        {
        }

        @Override
        public void onConfigurationChange(final ConfigurationChange change)
        {
        }
    };

    private final java.util.SplittableRandom joinJitter;
    private final HeaderFlyweight header = new HeaderFlyweight();
    private final JoinFlyweight join = new JoinFlyweight();
    private final CommitTokenFlyweight commit = new CommitTokenFlyweight();
    private final UnsafeBuffer frame;
    private final UnsafeBuffer commitCopy;
    private final UnsafeBuffer recoveryFrame;
    private final DatagramHandler demux = this::onDatagram;
    private int commitCopyLength;

    private final NodeSet procSet = new NodeSet();
    private final NodeSet failSet = new NodeSet();
    private final NodeSet consensus = new NodeSet();
    private final NodeSet myMemb = new NodeSet();
    private final NodeSet newMemb = new NodeSet();
    private final NodeSet transMemb = new NodeSet();
    private final NodeSet doneMarkers = new NodeSet();
    private final NodeSet scratchA = new NodeSet();
    private final NodeSet scratchB = new NodeSet();
    private final NodeSet active = new NodeSet();

    private State state = State.GATHER;
    private Reason reason = Reason.START;
    private TotemRing ring;
    private TotemRing newRing;
    private boolean newRingStarted;
    private RingId myRingId;
    private long maxRingSeqSeen;
    private long myCommitTokenSeq = -1;
    private long lowRingAru;
    private boolean settleAfterInstall;
    private long liveFromNs = Long.MIN_VALUE;
    private long highRingDelivered;
    private long now;
    private boolean started;
    private boolean left;
    private long stateChanges;
    private long recoveredSent;
    private long installs;

    // Fault injection for checker tests only: skip recovery's retransmissions.
    boolean brokenSkipRecoveryRetransmission;

    private long joinDeadline = OFF;
    private long consensusDeadline = OFF;
    private boolean consensusExtended;
    private long commitLossDeadline = OFF;
    private long commitRetransmitDeadline = OFF;
    private long mergeDeadline = OFF;

    /** Delivery from one ring instance: recovery traffic until installed, then the application's. */
    private final class RingDelivery implements DeliveryListener
    {
        TotemRing owner;

        @Override
        public void onMessage(final int sender, final long seq, final Guarantee guarantee, final DirectBuffer buffer,
            final int offset, final int length)
        {
            if (owner == newRing && state == State.RECOVERY)
            {
                onRecoveryMessage(sender, buffer, offset, length);
            }
            else
            {
                listener.onMessage(sender, guarantee, buffer, offset, length);
            }
        }
    }

    public TotemNode(final MembershipConfig config, final Transport transport)
    {
        this.config = config;
        this.totem = config.totem();
        this.transport = transport;
        this.self = totem.nodeId();
        this.configured = NodeSet.of(totem.members());
        this.joinJitter = new java.util.SplittableRandom(0x9E3779B97F4A7C15L * self);
        this.appQueue = TotemRing.newSendQueue(totem);
        // Recovery rebroadcasts at most a receive buffer's worth of old-ring datagrams, plus headers.
        final long recoveryBytes = 2L * totem.receiveBufferSlots() * (totem.netmtu() + 64);
        this.recoveryQueue = new ManyToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(
            (int)Math.max(totem.sendQueueBytes(), Long.highestOneBit(recoveryBytes) << 1) +
            org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TRAILER_LENGTH)));
        final int frameLength = Math.min(totem.netmtu() - TotemConfig.IP_UDP_OVERHEAD, transport.maxDatagramLength());
        this.frame = new UnsafeBuffer(ByteBuffer.allocateDirect(frameLength));
        this.commitCopy = new UnsafeBuffer(ByteBuffer.allocateDirect(frameLength));
        this.recoveryFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(frameLength + 1));
        if (CommitTokenFlyweight.lengthFor(configured.size()) > frameLength ||
            JoinFlyweight.lengthFor(configured.size(), configured.size()) > frameLength)
        {
            throw new IllegalArgumentException("nodelist of " + configured.size() + " nodes does not fit datagrams of " +
                frameLength + " bytes (totem.netmtu = " + totem.netmtu() + ")");
        }
    }

    @Override
    public int nodeId()
    {
        return self;
    }

    @Override
    public int maxMessageSize()
    {
        return totem.maxMessageSize();
    }

    @Override
    public void listener(final EvsListener listener)
    {
        this.listener = listener;
    }

    @Override
    public boolean offer(final DirectBuffer buffer, final int offset, final int length, final Guarantee guarantee)
    {
        if (length > totem.maxMessageSize())
        {
            throw new IllegalArgumentException(
                "message of " + length + " bytes exceeds max_message_size " + totem.maxMessageSize());
        }
        if (appQueue.write(guarantee == Guarantee.SAFE ? 2 : 1, buffer, offset, length))
        {
            offerWake.run();
            return true;
        }
        return false;
    }

    /**
     * Run after every accepted {@link #offer}, on the offering thread: typically
     * {@code SocketIdleStrategy::wake}, so an agent sleeping on an idle token it holds sends at once.
     * Must be cheap and must not block.
     */
    public void wakeOnOffer(final Runnable wake)
    {
        this.offerWake = java.util.Objects.requireNonNull(wake, "wake");
    }

    public State state()
    {
        return state;
    }

    /** The installed ring's id (or, while a new one is being formed, the last installed one's). */
    public RingId ringId()
    {
        return ring == null ? null : ring.ringId();
    }

    /**
     * Whether this node's ring is demonstrably alive: operational, with a token accepted within
     * three quarters of the token timeout. A node cut off from its ring stops answering true a
     * quarter token before the others can declare the token lost and form a ring without it, so a
     * lease-style check on this (quorum, a CRM acting alone) never overlaps a newer ring's. A ring
     * formed without a token loss (merge, join, leave) while members of an old ring were left
     * behind answers true only three quarters of a token after installation, when those members'
     * leases on the old ring have run out (this assumes a token rotation shorter than a quarter token).
     */
    public boolean hasLiveRing(final long nowNs)
    {
        return state == State.OPERATIONAL && ring.lastTokenNs() != Long.MIN_VALUE && nowNs >= liveFromNs &&
            nowNs - ring.lastTokenNs() < totem.tokenNs() * 3 / 4;
    }

    /** Members of the installed configuration, ascending. */
    public int[] members()
    {
        return myMemb.toArray();
    }

    /** The installed ring, for counters and metrics. */
    public TotemRing ring()
    {
        return ring;
    }

    /** The ring being recovered while in RECOVERY, else null (tests). */
    TotemRing recoveringRing()
    {
        return newRing;
    }

    /** Old-ring datagrams this node rebroadcast during recoveries. */
    public long recoveredSent()
    {
        return recoveredSent;
    }

    /** Configurations installed through gather, commit and recovery. */
    public long installs()
    {
        return installs;
    }

    /** How many state transitions this node made (a metric and a test hook). */
    public long stateChanges()
    {
        return stateChanges;
    }

    /**
     * Start: install a singleton ring with a never-used seq (delivered as this node's first,
     * regular configuration), then gather to find the others (Totem SRP §3, §6.2.2).
     */
    public void start(final long nowNs)
    {
        if (started)
        {
            return;
        }
        started = true;
        now = nowNs;
        final long seq = config.ringSeqStore().load() + 4;
        config.ringSeqStore().store(seq);
        myRingId = new RingId(seq, self);
        maxRingSeqSeen = seq;
        ring = newRing(myRingId, NodeSet.of(self), appQueue);
        myMemb.clear();
        myMemb.add(self);
        listener.onConfigurationChange(new ConfigurationChange(Kind.REGULAR, seq, self, new int[] {self},
            new int[] {self}, new int[0], Reason.START));
        shiftToGather(Reason.START, "start");
    }

    /**
     * Leave cleanly: announce it so the others reform at once (no token timeout), then stop.
     * The caller stops calling {@link #doWork} afterwards.
     */
    public void leave()
    {
        if (!started || left)
        {
            return;
        }
        left = true;
        header.wrap(frame, 0, HeaderFlyweight.HEADER_LENGTH);
        header.putHeader(MessageType.LEAVE, self, myRingId.seq(), myRingId.rep());
        for (int i = 0; i < 3; i++)
        {
            transport.multicast(frame, 0, HeaderFlyweight.HEADER_LENGTH);
        }
        ring.halt();
        if (newRing != null)
        {
            newRing.halt();
        }
        LOG.info("node {} left ring {}", self, myRingId);
    }

    /** Earliest time at which {@link #doWork} has timer work to do. */
    public long nextDeadlineNs()
    {
        long next = Math.min(Math.min(joinDeadline, consensusDeadline), Math.min(commitLossDeadline,
            Math.min(commitRetransmitDeadline, mergeDeadline)));
        if (ring != null)
        {
            next = Math.min(next, ring.nextDeadlineNs());
        }
        if (newRing != null)
        {
            next = Math.min(next, newRing.nextDeadlineNs());
        }
        return next;
    }

    /** One duty cycle: demultiplex input, run the rings and the membership timers. */
    public int doWork(final long nowNs)
    {
        now = nowNs;
        if (!started || left)
        {
            return 0;
        }
        int work = transport.poll(demux, POLL_LIMIT);
        work += ring.doWork(nowNs);
        if (newRing != null)
        {
            work += newRing.doWork(nowNs);
        }
        work += runTimers();
        return work;
    }

    private int runTimers()
    {
        int work = 0;
        switch (state)
        {
            case GATHER:
                if (now >= joinDeadline)
                {
                    sendJoin();
                    joinDeadline = now + config.joinNs();
                    work++;
                }
                if (now >= consensusDeadline)
                {
                    onConsensusTimeout();
                    work++;
                }
                break;
            case COMMIT:
            case RECOVERY:
                if (state == State.RECOVERY && newRing != null &&
                    newRing.counters().get(org.ringmaster.totem.RingCounters.Counter.TOKENS_RECEIVED) > 0)
                {
                    // The new ring runs: its own token loss timer watches it from now on.
                    commitRetransmitDeadline = OFF;
                    commitLossDeadline = OFF;
                }
                if (now >= commitRetransmitDeadline)
                {
                    sendCommitCopy();
                    commitRetransmitDeadline = now + totem.tokenRetransmitNs();
                    work++;
                }
                if (now >= commitLossDeadline)
                {
                    shiftToGather(Reason.TOKEN_LOSS, "commit token lost");
                    work++;
                }
                break;
            case OPERATIONAL:
                if (now >= mergeDeadline)
                {
                    // Corosync merge detect: partitions that healed on an idle ring must see us.
                    header.wrap(frame, 0, HeaderFlyweight.HEADER_LENGTH);
                    header.putHeader(MessageType.MERGE_DETECT, self, myRingId.seq(), myRingId.rep());
                    transport.multicast(frame, 0, HeaderFlyweight.HEADER_LENGTH);
                    mergeDeadline = now + config.mergeNs();
                    work++;
                }
                break;
            default:
                break;
        }
        return work;
    }

    // ---------------------------------------------------------------------------------------------
    // Demultiplexing

    private void onDatagram(final DirectBuffer buffer, final int offset, final int length)
    {
        header.wrap(buffer, offset, length);
        if (header.validateHeader() != DecodeError.NONE)
        {
            return;
        }
        final int sender = header.sender();
        if (!configured.contains(sender) || sender == self)
        {
            return;
        }
        final long ringSeq = header.ringSeq();
        final int ringRep = header.ringRep();
        switch (header.type())
        {
            case JOIN:
                if (join.wrap(buffer, offset, length).validate() == DecodeError.NONE)
                {
                    onJoin(sender);
                }
                break;
            case COMMIT_TOKEN:
                if (commit.wrap(buffer, offset, length).validate() == DecodeError.NONE)
                {
                    onCommitToken(buffer, offset, length);
                }
                break;
            case MERGE_DETECT:
                if (ringSeq != myRingId.seq() || ringRep != myRingId.rep())
                {
                    onForeign(MessageType.MERGE_DETECT.code(), sender, ringSeq, ringRep);
                }
                break;
            case LEAVE:
                onLeave(sender);
                break;
            default:
                final RingId current = ring.ringId();
                if (ringSeq == current.seq() && ringRep == current.rep())
                {
                    ring.receive(buffer, offset, length);
                }
                else if (newRing != null && ringSeq == myRingId.seq() && ringRep == myRingId.rep())
                {
                    newRing.receive(buffer, offset, length);
                }
                else
                {
                    onForeign(header.typeCode(), sender, ringSeq, ringRep);
                }
                break;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Ring events

    @Override
    public void onTokenLoss(final long nowNs)
    {
        shiftToGather(Reason.TOKEN_LOSS, "token lost");
    }

    @Override
    public void onFailToReceive(final int nodeId)
    {
        if (state == State.OPERATIONAL && nodeId != self && configured.contains(nodeId))
        {
            // Totem SRP §6.2.2: the member that keeps the aru down is excluded.
            procSet.add(nodeId);
            failSet.add(nodeId);
            shiftToGather(Reason.FAIL_TO_RECEIVE, "node " + nodeId + " failed to receive");
        }
    }

    @Override
    public void onForeign(final int type, final int sender, final long ringSeq, final int ringRep)
    {
        maxRingSeqSeen = Math.max(maxRingSeqSeen, ringSeq);
        if (state == State.OPERATIONAL)
        {
            if (myMemb.contains(sender) && ringSeq < myRingId.seq())
            {
                return;
            }
            procSet.add(sender);
            shiftToGather(Reason.MERGE, "traffic of ring " + ringSeq + "/" + ringRep + " from node " + sender);
        }
        else if (state == State.GATHER && !procSet.contains(sender))
        {
            procSet.add(sender);
            shiftToGather(Reason.MERGE, "traffic of ring " + ringSeq + "/" + ringRep + " from node " + sender);
        }
    }

    private void onLeave(final int sender)
    {
        final boolean relevant = state == State.OPERATIONAL ? myMemb.contains(sender)
            : procSet.contains(sender) && !failSet.contains(sender);
        if (relevant)
        {
            procSet.add(sender);
            failSet.add(sender);
            shiftToGather(Reason.LEAVE, "node " + sender + " left");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Gather (Totem SRP §6.2.2, Fig. 4)

    private void shiftToGather(final Reason why, final String detail)
    {
        if (state == State.OPERATIONAL)
        {
            reason = why;
            ring.halt();
        }
        else if (state == State.RECOVERY)
        {
            abortRecovery();
        }
        else if (state == State.COMMIT && newRing != null)
        {
            abortRecovery();
        }
        final State from = state;
        state = State.GATHER;
        stateChanges++;
        procSet.add(self);
        failSet.remove(self);
        consensus.clear();
        consensus.add(self);
        consensusExtended = false;
        commitLossDeadline = OFF;
        commitRetransmitDeadline = OFF;
        mergeDeadline = OFF;
        consensusDeadline = now + config.consensusNs();
        LOG.debug("node {} ring {}: {} -> GATHER ({}) proc={} fail={}", self, myRingId, from, detail, procSet, failSet);
        if (config.sendJoinNs() > 0)
        {
            // corosync send_join: spread the first joins of a large ring over 0..send_join.
            joinDeadline = now + (long)(joinJitter.nextDouble() * config.sendJoinNs());
        }
        else
        {
            joinDeadline = now + config.joinNs();
            sendJoin();
        }
        checkConsensus();
    }

    private void sendJoin()
    {
        join.wrap(frame, 0, frame.capacity());
        join.putHeader(MessageType.JOIN, self, myRingId.seq(), myRingId.rep());
        final int length = join.putBody(Math.max(myRingId.seq(), maxRingSeqSeen), procSet, failSet);
        transport.multicast(frame, 0, length);
    }

    private void onJoin(final int sender)
    {
        final long seen = join.ringSeqSeen();
        maxRingSeqSeen = Math.max(maxRingSeqSeen, seen);
        final NodeSet jp = scratchA;
        final NodeSet jf = scratchB;
        jp.clear();
        jf.clear();
        for (int i = 0; i < join.procCount(); i++)
        {
            if (configured.contains(join.proc(i)))
            {
                jp.add(join.proc(i));
            }
        }
        for (int i = 0; i < join.failCount(); i++)
        {
            if (configured.contains(join.fail(i)))
            {
                jf.add(join.fail(i));
            }
        }
        switch (state)
        {
            case OPERATIONAL:
                // ignore_join_under_operational: stale joins and joins that exclude us.
                if (jf.contains(self) || (myMemb.contains(sender) && seen < myRingId.seq()))
                {
                    return;
                }
                mergeJoin(sender, jp, jf);
                shiftToGather(Reason.MERGE, "join from node " + sender);
                break;
            case GATHER:
                gatherJoin(sender, jp, jf);
                break;
            case COMMIT:
            case RECOVERY:
                if (newMemb.contains(sender) && seen >= myRingId.seq())
                {
                    mergeJoin(sender, jp, jf);
                    shiftToGather(Reason.MERGE, "join from node " + sender + " during " + state);
                }
                break;
            default:
                break;
        }
    }

    private void gatherJoin(final int sender, final NodeSet jp, final NodeSet jf)
    {
        if (jp.sameAs(procSet) && jf.sameAs(failSet))
        {
            consensus.add(sender);
            checkConsensus();
        }
        else if (procSet.containsAll(jp) && failSet.containsAll(jf))
        {
            // The sender is behind us; it will catch up from our joins.
            return;
        }
        else if (failSet.contains(sender))
        {
            return;
        }
        else
        {
            mergeJoin(sender, jp, jf);
            shiftToGather(reason, "join from node " + sender + " widened the sets");
        }
    }

    private void mergeJoin(final int sender, final NodeSet jp, final NodeSet jf)
    {
        procSet.addAll(jp);
        procSet.add(sender);
        if (jf.contains(self))
        {
            // Symmetric exclusion avoids livelock (Totem SRP §6.2.2).
            failSet.add(sender);
        }
        else
        {
            procSet.addAll(jf);
            failSet.addAll(jf);
        }
        failSet.remove(self);
    }

    private void checkConsensus()
    {
        procSet.minus(failSet, active);
        if (state != State.GATHER || !consensus.containsAll(active))
        {
            return;
        }
        if (active.get(0) == self)
        {
            createCommitToken();
        }
    }

    private void onConsensusTimeout()
    {
        procSet.minus(failSet, active);
        if (!consensus.containsAll(active))
        {
            for (int i = 0; i < active.size(); i++)
            {
                if (!consensus.contains(active.get(i)))
                {
                    failSet.add(active.get(i));
                }
            }
            shiftToGather(Reason.TOKEN_LOSS, "consensus timeout");
        }
        else if (!consensusExtended)
        {
            // Consensus was reached but the commit token has not come: wait once more.
            consensusExtended = true;
            consensusDeadline = now + config.consensusNs();
        }
        else
        {
            failSet.add(active.get(0));
            shiftToGather(Reason.TOKEN_LOSS, "no commit token from node " + active.get(0));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Commit (Totem SRP §6.2.2, Figs. 4-5)

    private void createCommitToken()
    {
        final long seq = Math.max(myRingId.seq(), maxRingSeqSeen) + 4;
        commit.wrap(frame, 0, CommitTokenFlyweight.lengthFor(active.size()));
        commit.putHeader(MessageType.COMMIT_TOKEN, self, seq, self);
        commit.tokenSeq(0).membIndex(0).members(active);
        onCommitToken(frame, 0, CommitTokenFlyweight.lengthFor(active.size()));
    }

    private void onCommitToken(final DirectBuffer buffer, final int offset, final int length)
    {
        commit.wrap(buffer, offset, length);
        final long seq = commit.ringSeq();
        final int rep = commit.ringRep();
        maxRingSeqSeen = Math.max(maxRingSeqSeen, seq);
        final boolean current = seq == myRingId.seq() && rep == myRingId.rep();
        if (current && commit.tokenSeq() <= myCommitTokenSeq)
        {
            return;
        }
        final int index = commit.indexOf(self);
        if (index < 0)
        {
            return;
        }
        switch (state)
        {
            case GATHER:
                procSet.minus(failSet, active);
                if (seq <= myRingId.seq() || commit.count() != active.size() || commit.membIndex() != index)
                {
                    return;
                }
                for (int i = 0; i < commit.count(); i++)
                {
                    if (!active.contains(commit.nodeId(i)))
                    {
                        return;
                    }
                }
                firstCommitReceipt(buffer, offset, length, index);
                break;
            case COMMIT:
                if (current && commit.membIndex() == commit.count())
                {
                    shiftToRecovery(buffer, offset, length);
                }
                break;
            case RECOVERY:
                if (current && rep == self && !newRingStarted)
                {
                    // The representative turns the commit token into the new ring's first token (§3.4).
                    newRingStarted = true;
                    newRing.start(now);
                    commitRetransmitDeadline = OFF;
                    commitLossDeadline = OFF;
                }
                break;
            default:
                break;
        }
    }

    private void firstCommitReceipt(final DirectBuffer buffer, final int offset, final int length, final int index)
    {
        // Fill in our entry: where we come from and how far we got there (§3.3).
        commitCopy.putBytes(0, buffer, offset, length);
        commitCopyLength = length;
        commit.wrap(commitCopy, 0, length);
        final RingId old = ring.ringId();
        commit.entry(index, old.seq(), old.rep(), ring.aru(), ring.highDelivered(), ring.aru() == ring.highSeqReceived());
        // Members of our old ring left out of the new one keep a live-looking ring until their token
        // lease runs out; after a token loss that has already happened, otherwise the new ring waits.
        commit.leftBehind(index, reason != Reason.TOKEN_LOSS && !active.containsAll(myMemb));
        commit.membIndex(index + 1);
        myRingId = new RingId(commit.ringSeq(), commit.ringRep());
        config.ringSeqStore().store(myRingId.seq());
        newMemb.clear();
        for (int i = 0; i < commit.count(); i++)
        {
            newMemb.add(commit.nodeId(i));
        }
        final State from = state;
        state = State.COMMIT;
        stateChanges++;
        joinDeadline = OFF;
        consensusDeadline = OFF;
        commitLossDeadline = now + totem.tokenNs();
        LOG.debug("node {}: {} -> COMMIT ring {} members {}", self, from, myRingId, newMemb);
        forwardCommit(index);
    }

    private void forwardCommit(final int index)
    {
        commit.wrap(commitCopy, 0, commitCopyLength);
        final long tokenSeq = commit.tokenSeq() + 1;
        commit.tokenSeq(tokenSeq);
        commit.sender(self);
        myCommitTokenSeq = tokenSeq;
        final int next = commit.nodeId((index + 1) % commit.count());
        commitRetransmitDeadline = now + totem.tokenRetransmitNs();
        if (next == self)
        {
            // A ring of one: the token comes straight back, one hop further on.
            frame.putBytes(0, commitCopy, 0, commitCopyLength);
            frame.putLong(CommitTokenFlyweight.TOKEN_SEQ_OFFSET, tokenSeq + 1, HeaderFlyweight.ORDER);
            onCommitToken(frame, 0, commitCopyLength);
        }
        else
        {
            transport.unicast(next, commitCopy, 0, commitCopyLength);
        }
    }

    private void sendCommitCopy()
    {
        if (commitCopyLength > 0)
        {
            commit.wrap(commitCopy, 0, commitCopyLength);
            final int index = commit.indexOf(self);
            final int next = commit.nodeId((index + 1) % commit.count());
            if (next != self)
            {
                transport.unicast(next, commitCopy, 0, commitCopyLength);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Recovery (Totem SRP §7; see the class comment for how ours differs)

    private void shiftToRecovery(final DirectBuffer buffer, final int offset, final int length)
    {
        commitCopy.putBytes(0, buffer, offset, length);
        commitCopyLength = length;
        commit.wrap(commitCopy, 0, length);
        final RingId old = ring.ringId();
        transMemb.clear();
        lowRingAru = Long.MAX_VALUE;
        highRingDelivered = 0;
        settleAfterInstall = false;
        for (int i = 0; i < commit.count(); i++)
        {
            settleAfterInstall |= commit.leftBehind(i);
            if (commit.oldRingSeq(i) == old.seq() && commit.oldRingRep(i) == old.rep())
            {
                transMemb.add(commit.nodeId(i));
                lowRingAru = Math.min(lowRingAru, commit.oldRingAru(i));
                highRingDelivered = Math.max(highRingDelivered, commit.highDelivered(i));
            }
        }
        drain(recoveryQueue);
        newRing = newRing(myRingId, newMemb, recoveryQueue);
        // Recovery is not accelerated (TOTEM-NOTES §5.7): everything goes before the token until installed.
        newRing.accelerate(false);
        newRingStarted = false;
        doneMarkers.clear();
        ring.forEachHeldAbove(brokenSkipRecoveryRetransmission ? Long.MAX_VALUE - 1 : lowRingAru,
            (seq, held, heldOffset, heldLength) ->
        {
            recoveredSent++;
            recoveryFrame.putByte(0, RECOVERED);
            recoveryFrame.putBytes(1, held, heldOffset, heldLength);
            if (!recoveryQueue.write(1, recoveryFrame, 0, heldLength + 1))
            {
                throw new IllegalStateException("recovery queue overflow at old seq " + seq);
            }
        });
        recoveryFrame.putByte(0, RECOVERY_DONE);
        recoveryQueue.write(1, recoveryFrame, 0, 1);
        final State from = state;
        state = State.RECOVERY;
        stateChanges++;
        LOG.debug("node {}: {} -> RECOVERY ring {} trans {} low aru {} high delivered {}", self, from, myRingId,
            transMemb, lowRingAru, highRingDelivered);
        if (myRingId.rep() != self)
        {
            newRing.start(now);
            newRingStarted = true;
        }
        commitLossDeadline = now + totem.tokenNs();
        forwardCommit(commit.indexOf(self));
    }

    private void onRecoveryMessage(final int sender, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1)
        {
            return;
        }
        final byte type = buffer.getByte(offset);
        if (type == RECOVERED && length > 1)
        {
            // Only old-ring messages of our own old ring are ours to deliver (§7.2).
            ring.storeRecovered(buffer, offset + 1, length - 1);
        }
        else if (type == RECOVERY_DONE && length == 1)
        {
            doneMarkers.add(sender);
            if (doneMarkers.containsAll(newMemb))
            {
                install();
            }
        }
    }

    private void abortRecovery()
    {
        if (newRing != null)
        {
            newRing.halt();
            newRing = null;
        }
        newRingStarted = false;
        drain(recoveryQueue);
    }

    // Totem SRP §7.2, Fig. 7: installing the new ring delivers the old one's rest and both changes.
    private void install()
    {
        final TotemRing old = ring;
        final RingId oldId = old.ringId();
        final int[] leftTrans = myMemb.minus(transMemb, scratchA).toArray();
        final int[] trans = transMemb.toArray();
        old.installDelivery(highRingDelivered, transMemb::contains, () -> listener.onConfigurationChange(
            new ConfigurationChange(Kind.TRANSITIONAL, myRingId.seq(), myRingId.rep(), trans, new int[0], leftTrans,
                reason)));
        final int[] joined = newMemb.minus(myMemb, scratchA).toArray();
        final int[] gone = myMemb.minus(newMemb, scratchB).toArray();
        ring = newRing;
        newRing = null;
        ring.sendQueue(appQueue);
        ring.accelerate(true);
        ring.adoptPartialMessage(old);
        myMemb.copyFrom(newMemb);
        procSet.copyFrom(newMemb);
        failSet.clear();
        state = State.OPERATIONAL;
        stateChanges++;
        installs++;
        commitLossDeadline = OFF;
        commitRetransmitDeadline = OFF;
        mergeDeadline = myMemb.get(0) == self ? now + config.mergeNs() : OFF;
        liveFromNs = settleAfterInstall ? now + totem.tokenNs() * 3 / 4 : Long.MIN_VALUE;
        LOG.info("node {}: ring {} installed, members {} (from {}, {})", self, myRingId, myMemb, oldId, reason);
        listener.onConfigurationChange(new ConfigurationChange(Kind.REGULAR, myRingId.seq(), myRingId.rep(),
            myMemb.toArray(), joined, gone, reason));
    }

    private TotemRing newRing(final RingId id, final NodeSet members, final ManyToOneRingBuffer queue)
    {
        final RingDelivery delivery = new RingDelivery();
        final TotemRing created = TotemRing.forMembership(totem, id, members.toArray(), transport, delivery, this, queue);
        delivery.owner = created;
        return created;
    }

    private static void drain(final ManyToOneRingBuffer queue)
    {
        while (queue.read((type, buffer, index, length) -> { }, Integer.MAX_VALUE) > 0)
        {
            // Discard everything queued for an abandoned recovery.
        }
    }
}
