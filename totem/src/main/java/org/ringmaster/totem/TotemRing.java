package org.ringmaster.totem;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.ringmaster.totem.RingCounters.Counter;
import org.ringmaster.totem.codec.DataMessageFlyweight;
import org.ringmaster.totem.codec.DecodeError;
import org.ringmaster.totem.codec.HeaderFlyweight;
import org.ringmaster.totem.codec.MessageType;
import org.ringmaster.totem.codec.TokenFlyweight;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a Totem single ring: totally ordered, reliable multicast on a fixed set of members.
 *
 * <p>Implements the ordering half of Amir, Moser, Melliar-Smith et al., "The Totem Single-Ring
 * Ordering and Membership Protocol", ACM TOCS 13(4), 1995, §5 (token, seq, aru, retransmission),
 * §8 (flow control), with a token that rests at the last sender on an idle ring (our variant of
 * corosync's hold, see mayPark) and packing/fragmentation of application messages
 * into ring datagrams. Membership (gather, commit, recovery) is the membership layer's; here token
 * loss and failure to receive are only detected and counted. Deviations from the paper:
 * <ul>
 *   <li>the token-retransmit timer is cancelled by a data message whose seq is above the seq the
 *       token carried when we forwarded it (proof the successor got it), not by any data message;</li>
 *   <li>a missing seq is requested only after {@code miss_count_const} visits (corosync), so that
 *       datagrams still in flight are not requested;</li>
 *   <li>a new message is originated only while its seq stays within the receive buffer of every
 *       node: {@code seq - aru < slots - 3 x window_size}, so a slot is never needed twice.</li>
 * </ul>
 *
 * <p>With {@code totem.accelerated} on, the token is handled as in Babay &amp; Amir's Accelerated
 * Ring (ICDCS 2016; TOTEM-NOTES §5): every new datagram of a visit is numbered before the token
 * leaves, but the last {@code accelerated_window} of them are multicast just after it, so the
 * successor starts its visit while ours is still on the wire. Gaps are then requested only up to
 * the seq we forwarded on our previous visit, since anything above may still be in flight behind
 * a token. aru, safe delivery, discard and flow control keep their rules. The membership layer
 * turns acceleration off while a new ring recovers ({@link #accelerate}).
 *
 * <p>Single-threaded: {@link #doWork(long)} is called by one agent thread (or a simulation) with
 * the current time; {@link #offer} may be called from any thread.
 */
public final class TotemRing implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(TotemRing.class);
    private static final int MSG_AGREED = 1;
    private static final int MSG_SAFE = 2;
    private static final long OFF = Long.MAX_VALUE;
    private static final int POLL_LIMIT = 256;

    private final TotemConfig config;
    private final Transport transport;
    private final DeliveryListener listener;
    private final RingCounters counters = new RingCounters();
    private final int nodeId;
    private final int[] members;
    private final int successor;
    private final int rep;
    private final long ringSeq;
    private final RingEvents events;
    private final boolean pollsTransport;
    private final int frameLength;
    private final int maxRtr;
    private final long originateWindow;

    private final ReceiveBuffer received;
    private ManyToOneRingBuffer sendQueue;
    private final UnsafeBuffer fragment;
    private final Int2ObjectHashMap<ExpandableArrayBuffer> reassembly = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<int[]> reassemblyLength = new Int2ObjectHashMap<>();

    private final HeaderFlyweight headerIn = new HeaderFlyweight();
    private final DataMessageFlyweight dataIn = new DataMessageFlyweight();
    private final DataMessageFlyweight dataOut = new DataMessageFlyweight();
    private final DataMessageFlyweight stored = new DataMessageFlyweight();
    private final TokenFlyweight tokenIn = new TokenFlyweight();
    private final TokenFlyweight tokenOut = new TokenFlyweight();
    private final UnsafeBuffer sendFrame;
    private final UnsafeBuffer pendingToken;
    private final UnsafeBuffer tokenCopy;
    private final UnsafeBuffer controlFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(HeaderFlyweight.HEADER_LENGTH));
    private final UnsafeBuffer storedView = new UnsafeBuffer(0, 0);
    private final DatagramHandler onDatagram = this::onDatagram;
    private final ControlledMessageHandler packer = this::pack;
    private final long[] rtrSeqs;

    private long now;
    private boolean started;

    // Totem SRP per-node ordering state (§5.1).
    private long myTokenSeq = -1;
    private long myAru;
    private long myHighSeqReceived;
    private long myHighDelivered;
    private long lastReleased;
    private long lastFwdAru;
    private long lastFwdSeq;
    private long safeUpTo;
    private int myAruCount;
    private int myTrc;
    private int myPbl;
    private int seqUnchangedRotations;
    private boolean holdCancelSent;
    private boolean cancelPending;
    private long lastOriginatedSeq = -1;
    private boolean accelerating;

    private int pendingTokenLength;
    private int tokenCopyLength;
    private volatile Runnable offerWake = () -> { };
    private boolean parked;
    private boolean halted;
    private int failedToReceive;
    private long lastTokenNs = Long.MIN_VALUE;

    private long tokenRetransmitDeadline = OFF;
    private long tokenLossDeadline = OFF;
    private long holdDeadline = OFF;

    // Packing state for the datagram being built.
    private boolean packSafe;
    private int fragmentLength;
    private int fragmentOffset;
    private boolean fragmentSafe;

    // Fault injection for checker tests only: deliver without waiting for gaps to fill.
    boolean brokenDeliverAcrossGaps;

    /** A static ring of the configured members: polls the transport itself, no membership. */
    public TotemRing(final TotemConfig config, final Transport transport, final DeliveryListener listener)
    {
        this(config, new RingId(config.ringSeq(), config.members()[0]), config.members(), transport, listener, null,
            newSendQueue(config), true);
    }

    /**
     * A ring formed by the membership layer: the given id and members, datagrams handed in through
     * {@link #receive} (the membership layer polls the transport and demultiplexes), events
     * reported, and the given send queue (which may be swapped, see {@link #sendQueue}).
     */
    public static TotemRing forMembership(final TotemConfig config, final RingId ringId, final int[] members,
        final Transport transport, final DeliveryListener listener, final RingEvents events,
        final ManyToOneRingBuffer sendQueue)
    {
        return new TotemRing(config, ringId, members, transport, listener, events, sendQueue, false);
    }

    /** A send queue sized as {@code config} says, for {@link #forMembership}. */
    public static ManyToOneRingBuffer newSendQueue(final TotemConfig config)
    {
        return new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(config.sendQueueBytes() + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    private TotemRing(final TotemConfig config, final RingId ringId, final int[] ringMembers, final Transport transport,
        final DeliveryListener listener, final RingEvents events, final ManyToOneRingBuffer sendQueue,
        final boolean pollsTransport)
    {
        this.config = config;
        this.events = events;
        this.pollsTransport = pollsTransport;
        this.sendQueue = sendQueue;
        this.members = ringMembers.clone();
        java.util.Arrays.sort(this.members);
        this.transport = transport;
        this.listener = listener;
        this.nodeId = config.nodeId();
        if (transport.localNodeId() != nodeId)
        {
            throw new IllegalArgumentException(
                "transport is bound for node " + transport.localNodeId() + " but nodeid is " + nodeId);
        }
        final int index = java.util.Arrays.binarySearch(members, nodeId);
        if (index < 0)
        {
            throw new IllegalArgumentException("node " + nodeId + " is not a member of ring " + ringId);
        }
        this.successor = members[(index + 1) % members.length];
        this.rep = ringId.rep();
        this.ringSeq = ringId.seq();
        this.frameLength = Math.min(config.netmtu() - TotemConfig.IP_UDP_OVERHEAD, transport.maxDatagramLength());
        if (frameLength < TokenFlyweight.lengthFor(1) || frameLength <= DataMessageFlyweight.ENTRIES_OFFSET + 16)
        {
            throw new IllegalArgumentException("datagrams of " + frameLength + " bytes are too small for totem.netmtu = " +
                config.netmtu() + " and this transport");
        }
        this.maxRtr = Math.min(config.maxRetransmitRequests(),
            (frameLength - TokenFlyweight.RTR_OFFSET) / TokenFlyweight.RTR_ENTRY_LENGTH);
        this.rtrSeqs = new long[maxRtr];
        this.originateWindow = config.receiveBufferSlots() - 3L * config.windowSize();
        this.received = new ReceiveBuffer(config.receiveBufferSlots(), frameLength);
        this.fragment = new UnsafeBuffer(ByteBuffer.allocateDirect(config.maxMessageSize()));
        this.sendFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(frameLength));
        this.pendingToken = new UnsafeBuffer(ByteBuffer.allocateDirect(frameLength));
        this.tokenCopy = new UnsafeBuffer(ByteBuffer.allocateDirect(frameLength));
        this.accelerating = config.accelerated();
        for (final int member : members)
        {
            reassembly.put(member, new ExpandableArrayBuffer(1024));
            reassemblyLength.put(member, new int[] {-1});
        }
    }

    public RingId ringId()
    {
        return new RingId(ringSeq, rep);
    }

    public int nodeId()
    {
        return nodeId;
    }

    public RingCounters counters()
    {
        return counters;
    }

    /** Largest message {@link #offer} accepts. */
    public int maxMessageSize()
    {
        return config.maxMessageSize();
    }

    /** Highest seq delivered so far. */
    public long highDelivered()
    {
        return myHighDelivered;
    }

    /** Highest seq this node holds, with no gap below it. */
    public long aru()
    {
        return myAru;
    }

    /**
     * Queue a message for ordered multicast. Thread-safe.
     *
     * @return {@code false} when the send queue is full (back-pressure): retry later.
     * @throws IllegalArgumentException if the message is larger than {@link #maxMessageSize()}.
     */
    public boolean offer(final DirectBuffer buffer, final int offset, final int length, final Guarantee guarantee)
    {
        if (length > config.maxMessageSize())
        {
            throw new IllegalArgumentException(
                "message of " + length + " bytes exceeds max_message_size " + config.maxMessageSize());
        }
        if (sendQueue.write(guarantee == Guarantee.SAFE ? MSG_SAFE : MSG_AGREED, buffer, offset, length))
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

    /** Bytes waiting in the send queue. */
    public int queuedBytes()
    {
        return sendQueue.size();
    }

    /** The ring's members, ascending. */
    public int[] members()
    {
        return members.clone();
    }

    /** Highest seq received, gaps or not. */
    public long highSeqReceived()
    {
        return myHighSeqReceived;
    }

    /** When this node last accepted a token of this ring ({@code Long.MIN_VALUE} if never). */
    public long lastTokenNs()
    {
        return lastTokenNs;
    }

    public boolean isHalted()
    {
        return halted;
    }

    /** Hand in one datagram of this ring (membership mode, where the membership layer polls). */
    public void receive(final DirectBuffer buffer, final int offset, final int length)
    {
        onDatagram(buffer, offset, length);
    }

    /**
     * Stop operating: no token handling, no timers, no origination and no delivery. Messages of
     * this ring are still stored (recovery needs them) until {@link #installDelivery}.
     */
    public void halt()
    {
        halted = true;
        pendingTokenLength = 0;
        parked = false;
        cancelPending = false;
        tokenRetransmitDeadline = OFF;
        tokenLossDeadline = OFF;
        holdDeadline = OFF;
    }

    /**
     * Turn the Accelerated Ring off (while this ring carries recovery traffic, TOTEM-NOTES §5.7)
     * or back on; {@code on} has no effect unless {@code totem.accelerated} is set.
     */
    public void accelerate(final boolean on)
    {
        accelerating = on && config.accelerated();
    }

    /** Whether new datagrams are currently multicast after the token. */
    public boolean isAccelerating()
    {
        return accelerating;
    }

    /** Swap the queue new messages are taken from (recovery traffic first, then the application's). */
    public void sendQueue(final ManyToOneRingBuffer queue)
    {
        this.sendQueue = queue;
    }

    /** Receives a stored datagram of this ring. */
    @FunctionalInterface
    public interface HeldDatagramHandler
    {
        void onHeld(long seq, DirectBuffer buffer, int offset, int length);
    }

    /** Every datagram held with seq above {@code seq}, in seq order (Totem SRP §7.2 retransmission). */
    public void forEachHeldAbove(final long seq, final HeldDatagramHandler handler)
    {
        for (long s = Math.max(seq, lastReleased) + 1; s <= myHighSeqReceived; s++)
        {
            if (received.has(s))
            {
                final int length = received.wrap(s, storedView);
                handler.onHeld(s, storedView, 0, length);
            }
        }
    }

    /**
     * Store a datagram of this ring recovered through a newer ring (Totem SRP §7.2), if it is
     * well formed, of this ring, and new.
     *
     * @return whether it was stored.
     */
    public boolean storeRecovered(final DirectBuffer buffer, final int offset, final int length)
    {
        dataIn.wrap(buffer, offset, length);
        if (length > frameLength || dataIn.validate() != DecodeError.NONE || dataIn.ringSeq() != ringSeq ||
            dataIn.ringRep() != rep || !isMember(dataIn.sender()))
        {
            counters.increment(Counter.MALFORMED);
            return false;
        }
        final long seq = dataIn.seq();
        if (seq <= lastReleased || received.has(seq) || seq - lastReleased >= received.capacity())
        {
            return false;
        }
        received.put(seq, buffer, offset, length);
        myHighSeqReceived = Math.max(myHighSeqReceived, seq);
        advanceAru();
        return true;
    }

    /**
     * The last deliveries of this ring when a new one is installed (Totem SRP §7.2, Fig. 7):
     * messages in seq order up to the first gap or the first SAFE message above
     * {@code highRingDelivered} (those belong to the regular configuration), then
     * {@code onTransitional}, then the remaining messages whose senders are in the transitional
     * configuration, skipping gaps and others' messages.
     */
    public void installDelivery(final long highRingDelivered, final java.util.function.IntPredicate inTransitional,
        final Runnable onTransitional)
    {
        while (received.has(myHighDelivered + 1))
        {
            final long next = myHighDelivered + 1;
            final int length = received.wrap(next, storedView);
            stored.wrap(storedView, 0, length);
            if (stored.isSafe() && next > highRingDelivered)
            {
                break;
            }
            myHighDelivered = next;
            deliverEntries(next);
        }
        onTransitional.run();
        for (long s = myHighDelivered + 1; s <= myHighSeqReceived; s++)
        {
            if (received.has(s))
            {
                final int length = received.wrap(s, storedView);
                stored.wrap(storedView, 0, length);
                if (inTransitional.test(stored.sender()))
                {
                    deliverEntries(s);
                }
            }
        }
        myHighDelivered = myHighSeqReceived;
    }

    /**
     * Take over a message another ring had begun to fragment but not finished: it is sent again
     * from its start here, so it is delivered whole in this ring's configuration.
     */
    public void adoptPartialMessage(final TotemRing from)
    {
        if (from.fragmentLength > 0 && fragmentLength == 0)
        {
            fragment.putBytes(0, from.fragment, 0, from.fragmentLength);
            fragmentLength = from.fragmentLength;
            fragmentOffset = 0;
            fragmentSafe = from.fragmentSafe;
            from.fragmentLength = 0;
        }
    }

    /** Start the ring: the representative puts the first token into circulation (Totem SRP §5). */
    public void start(final long nowNs)
    {
        if (started)
        {
            return;
        }
        started = true;
        now = nowNs;
        tokenLossDeadline = nowNs + config.tokenNs();
        if (nodeId == rep)
        {
            tokenOut.wrap(pendingToken, 0, TokenFlyweight.lengthFor(0));
            tokenOut.putHeader(MessageType.TOKEN, nodeId, ringSeq, rep);
            tokenOut.tokenSeq(0).seq(0).aru(0).aruId(TokenFlyweight.NO_ARU_ID).fcc(0).backlog(0)
                .retransFlg(false).rtrCount(0);
            pendingTokenLength = TokenFlyweight.lengthFor(0);
        }
        LOG.info("node {} ring {} started: {} members, successor {}, datagram {} bytes",
            nodeId, ringId(), members.length, successor, frameLength);
    }

    /** Earliest time at which {@link #doWork} has timer work to do. */
    public long nextDeadlineNs()
    {
        if (halted)
        {
            return OFF;
        }
        long next = Math.min(tokenRetransmitDeadline, Math.min(tokenLossDeadline, holdDeadline));
        if (pendingTokenLength > 0 && (!parked || cancelPending || hasOwnTraffic()) ||
            sendQueue.size() > 0 && shouldCancelHold())
        {
            next = now;
        }
        return next;
    }

    /**
     * One duty cycle: drain the transport, handle a token, run timers.
     *
     * @return the amount of work done; 0 means idle.
     */
    public int doWork(final long nowNs)
    {
        now = nowNs;
        if (!started || halted)
        {
            return 0;
        }
        // Totem SRP step 0: drain all input before the token, so we do not request what we hold.
        int work = pollsTransport ? transport.poll(onDatagram, POLL_LIMIT) : 0;
        if (pendingTokenLength > 0)
        {
            tokenIn.wrap(pendingToken, 0, pendingTokenLength);
            if (!parked && mayPark())
            {
                park();
                work++;
            }
            else if (!parked || cancelPending || hasOwnTraffic() || now >= holdDeadline)
            {
                parked = false;
                holdDeadline = OFF;
                pendingTokenLength = 0;
                onToken();
                work++;
            }
        }
        work += runTimers();
        if (sendQueue.size() > 0 && pendingTokenLength == 0 && shouldCancelHold())
        {
            // corosync token_hold_cancel: another node is probably resting the idle token.
            sendControl(MessageType.TOKEN_HOLD_CANCEL);
            holdCancelSent = true;
            work++;
        }
        return work;
    }

    @Override
    public void close()
    {
        started = false;
    }

    private boolean shouldCancelHold()
    {
        // Whoever rests the token has seen parkAfter() quiet visits; every other node at least one fewer.
        return !holdCancelSent && members.length > 1 && seqUnchangedRotations >= parkAfter() - 1;
    }

    /** Quiet visits before the token may rest: at least two, so that every member has delivered safe messages. */
    private int parkAfter()
    {
        return Math.max(2, config.seqnoUnchangedConst());
    }

    private boolean hasOwnTraffic()
    {
        return sendQueue.size() > 0 || fragmentLength > 0;
    }

    /**
     * Whether the incoming token (in tokenIn) leaves the ring as quiet as our last visit did:
     * nobody originated since we forwarded it, and aru equals seq now and did when we forwarded.
     */
    private boolean quietToken()
    {
        return myTokenSeq >= 0 && tokenIn.seq() == lastFwdSeq && tokenIn.aru() == tokenIn.seq() &&
            lastFwdAru == lastFwdSeq;
    }

    /**
     * Token rest (our variant of corosync's hold): the token is kept here, unprocessed, as if it
     * were still on the wire, once parkAfter() quiet visits in a row show the ring idle. Unlike
     * corosync's, it rests with the node that originated the highest seq (the representative while
     * nobody has), so a node that sends again, typically a lone sender, sends at once instead of
     * asking for the token and waiting a rotation. Held so, the visit is simply late: no ordering,
     * aru or safe-delivery rule sees a difference.
     * <ul>
     *   <li>Two quiet visits: between them every member forwarded aru == seq twice, so each has
     *       delivered its safe messages; nothing waits on the resting token.</li>
     *   <li>Only one member originated the highest seq, so only one rests the token: after a
     *       hold it makes a whole rotation before resting there again, and every member still
     *       sees it within hold + one rotation, well inside the token timeout.</li>
     *   <li>No park if a hold cancel arrived since our last visit: someone waits for the token.</li>
     * </ul>
     */
    private boolean mayPark()
    {
        if (halted || tokenIn.tokenSeq() <= myTokenSeq)
        {
            return false;
        }
        final int quietVisits = quietToken() ? seqUnchangedRotations + 1 : 0;
        final boolean lastSender = tokenIn.seq() == lastOriginatedSeq || tokenIn.seq() == 0 && nodeId == rep;
        return lastSender && quietVisits >= parkAfter() && !cancelPending && !hasOwnTraffic() &&
            tokenIn.rtrCount() == 0 && tokenIn.backlog() == 0 && myHighDelivered == tokenIn.seq();
    }

    private void park()
    {
        parked = true;
        holdDeadline = now + config.holdNs();
        tokenRetransmitDeadline = OFF;
        tokenLossDeadline = now + config.tokenNs();
        lastTokenNs = now;
        counters.increment(Counter.TOKEN_HOLDS);
    }

    private int runTimers()
    {
        int work = 0;
        if (now >= tokenRetransmitDeadline)
        {
            // Totem SRP: token retransmit on loss; the tokenSeq check makes extra copies harmless.
            counters.increment(Counter.TOKEN_RETRANSMITS);
            sendToken(tokenCopy, tokenCopyLength);
            tokenRetransmitDeadline = now + config.tokenRetransmitNs();
            work++;
        }
        if (now >= tokenLossDeadline)
        {
            counters.increment(Counter.TOKEN_LOSS);
            if (events != null)
            {
                // Totem SRP: token loss in operational shifts to gather; the membership layer halts us.
                tokenLossDeadline = OFF;
                events.onTokenLoss(now);
                return work + 1;
            }
            // A static ring has no membership to fall back on: keep retransmitting.
            LOG.warn("node {} ring {}: token lost (no token for {} ms), seq {} aru {}",
                nodeId, ringId(), config.tokenNs() / 1_000_000, myHighSeqReceived, myAru);
            tokenLossDeadline = now + config.tokenNs();
            work++;
        }
        return work;
    }

    private void onDatagram(final DirectBuffer buffer, final int offset, final int length)
    {
        headerIn.wrap(buffer, offset, length);
        if (headerIn.validateHeader() != DecodeError.NONE)
        {
            counters.increment(Counter.MALFORMED);
            return;
        }
        if (!isMember(headerIn.sender()) && headerIn.ringSeq() == ringSeq && headerIn.ringRep() == rep)
        {
            counters.increment(Counter.UNKNOWN_SENDER);
            return;
        }
        if (headerIn.ringSeq() != ringSeq || headerIn.ringRep() != rep)
        {
            // Foreign traffic: the membership layer turns this into a merge (gather).
            counters.increment(Counter.FOREIGN_RING);
            if (events != null)
            {
                events.onForeign(headerIn.typeCode(), headerIn.sender(), headerIn.ringSeq(), headerIn.ringRep());
            }
            return;
        }
        switch (headerIn.type())
        {
            case DATA:
                dataIn.wrap(buffer, offset, length);
                if (dataIn.validate() != DecodeError.NONE || length > frameLength)
                {
                    counters.increment(Counter.MALFORMED);
                    return;
                }
                onData(buffer, offset, length);
                break;
            case TOKEN:
                tokenIn.wrap(buffer, offset, length);
                if (tokenIn.validate() != DecodeError.NONE || length > frameLength)
                {
                    counters.increment(Counter.MALFORMED);
                    return;
                }
                if (tokenIn.tokenSeq() <= myTokenSeq)
                {
                    counters.increment(Counter.TOKENS_DUPLICATE);
                    return;
                }
                if (pendingTokenLength == 0 || tokenIn.tokenSeq() > pendingToken.getLong(
                    TokenFlyweight.TOKEN_SEQ_OFFSET, HeaderFlyweight.ORDER))
                {
                    pendingToken.putBytes(0, buffer, offset, length);
                    pendingTokenLength = length;
                }
                break;
            case TOKEN_HOLD_CANCEL:
                if (length == HeaderFlyweight.HEADER_LENGTH)
                {
                    // Releases a resting token (doWork), or keeps the next one from resting here.
                    cancelPending = true;
                }
                break;
            default:
                // JOIN, COMMIT_TOKEN, MERGE_DETECT, LEAVE belong to the membership layer.
                break;
        }
    }

    private boolean isMember(final int id)
    {
        return java.util.Arrays.binarySearch(members, id) >= 0;
    }

    // Totem SRP §2.2: store a new regular message, advance aru over the contiguous prefix, deliver.
    private void onData(final DirectBuffer buffer, final int offset, final int length)
    {
        final long seq = dataIn.seq();
        if (seq <= lastReleased || received.has(seq))
        {
            counters.increment(Counter.DATAGRAMS_DUPLICATE);
            return;
        }
        if (seq - lastReleased >= received.capacity())
        {
            // No slot for it yet; it will be retransmitted once the window has moved.
            counters.increment(Counter.DATAGRAMS_OUT_OF_WINDOW);
            return;
        }
        received.put(seq, buffer, offset, length);
        if (seq > myHighSeqReceived)
        {
            myHighSeqReceived = seq;
        }
        advanceAru();
        if (halted)
        {
            return;
        }
        if (seq > lastFwdSeq && tokenRetransmitDeadline != OFF)
        {
            // Someone after us originated a message: our successor got the token.
            tokenRetransmitDeadline = OFF;
        }
        deliver();
    }

    private void advanceAru()
    {
        while (received.has(myAru + 1))
        {
            myAru++;
        }
    }

    // Totem SRP §2.1: the whole token handler.
    private void onToken()
    {
        // Filter (step 1) was done on receipt; re-check for a token queued before a newer one was handled.
        if (halted || tokenIn.tokenSeq() <= myTokenSeq)
        {
            counters.increment(Counter.TOKENS_DUPLICATE);
            return;
        }
        counters.increment(Counter.TOKENS_RECEIVED);
        lastTokenNs = now;
        tokenRetransmitDeadline = OFF;
        holdCancelSent = false;
        cancelPending = false;

        final long tokenSeqValue = tokenIn.seq();
        seqUnchangedRotations = quietToken() ? seqUnchangedRotations + 1 : 0;

        // Step 2: budget = min(max_messages, window - fcc, fair share of the window by backlog).
        final int myBacklog = backlogDatagrams();
        final int fcc = tokenIn.fcc();
        final int tokenBacklog = tokenIn.backlog();
        int allowed = Math.min(config.maxMessages(), Math.max(0, config.windowSize() - fcc));
        final int denominator = tokenBacklog + myBacklog - myPbl;
        if (denominator > 0)
        {
            final int fair = (int)((long)config.windowSize() * myBacklog / denominator);
            allowed = Math.min(allowed, Math.max(fair, myBacklog > 0 ? 1 : 0));
        }

        // The outgoing token is built in tokenCopy, which is also what we retransmit.
        tokenOut.wrap(tokenCopy, 0, frameLength);
        tokenOut.putHeader(MessageType.TOKEN, nodeId, ringSeq, rep);

        // Step 3: answer retransmission requests we can satisfy, keep the rest.
        int rtrCount = 0;
        int sent = 0;
        final int requests = tokenIn.rtrCount();
        for (int i = 0; i < requests; i++)
        {
            final long seq = tokenIn.rtrSeq(i);
            final boolean ours = tokenIn.rtrRingSeq(i) == ringSeq && tokenIn.rtrRingRep(i) == rep;
            if (ours && allowed > 0 && received.has(seq))
            {
                final int len = received.wrap(seq, storedView);
                multicast(storedView, 0, len);
                counters.increment(Counter.DATAGRAMS_RETRANSMITTED);
                allowed--;
                sent++;
            }
            else if (ours && seq > lastReleased && rtrCount < maxRtr && !containsRtr(rtrCount, seq))
            {
                rtrSeqs[rtrCount++] = seq;
            }
        }

        // Step 4: originate new messages, numbered from the token's seq, within the buffer window.
        long seq = tokenSeqValue;
        final long aru = tokenIn.aru();
        // Never originate a seq whose slot may still be held here or at any member.
        final long room = Math.min(aru + originateWindow - seq, lastReleased + received.capacity() - 1 - seq);
        final int windowRoom = (int)Math.max(0, Math.min(Integer.MAX_VALUE, room));
        int budget = Math.min(allowed, windowRoom);
        final long firstNew = seq + 1;
        while (budget > 0)
        {
            final int length = packDatagram();
            if (length == 0)
            {
                break;
            }
            seq++;
            dataOut.seq(seq).flags(packSafe ? DataMessageFlyweight.FLAG_SAFE : 0);
            received.put(seq, sendFrame, 0, length);
            myHighSeqReceived = seq;
            if (!accelerating)
            {
                multicast(sendFrame, 0, length);
            }
            counters.increment(Counter.DATAGRAMS_ORIGINATED);
            budget--;
            sent++;
        }
        advanceAru();
        if (seq != tokenSeqValue)
        {
            // We originated: the ring is not quiet, whatever the incoming token said.
            seqUnchangedRotations = 0;
            lastOriginatedSeq = seq;
        }
        // Accelerated Ring §5.1-2: all are numbered (and in our buffer); only the first part goes before the token.
        final long lastBeforeToken = accelerating ? Math.max(firstNew - 1, seq - config.acceleratedWindow()) : seq;
        if (accelerating)
        {
            multicastHeld(firstNew, lastBeforeToken);
        }

        // Step 5: request our own gaps seen missing on miss_count_const visits. Accelerated (§5.3): only
        // up to what we forwarded last visit; anything above may still be in flight behind a token.
        final long requestUpTo = accelerating ? Math.min(seq, lastFwdSeq) : seq;
        for (long s = myAru + 1; s <= requestUpTo && rtrCount < maxRtr; s++)
        {
            if (!received.has(s) && received.missed(s) >= config.missCountConst() && !containsRtr(rtrCount, s))
            {
                rtrSeqs[rtrCount++] = s;
                counters.increment(Counter.RETRANSMIT_REQUESTS);
            }
        }

        // Step 6: aru. Lower it if we lack messages; raise it only if we hold aruId or it is NONE.
        long newAru = aru;
        int newAruId = tokenIn.aruId();
        if (myAru < aru || newAruId == nodeId || newAruId == TokenFlyweight.NO_ARU_ID)
        {
            newAru = myAru;
            newAruId = newAru == seq ? TokenFlyweight.NO_ARU_ID : nodeId;
        }

        // Step 7: failure to receive (the membership layer acts on it).
        if (newAru == lastFwdAru && newAruId != TokenFlyweight.NO_ARU_ID)
        {
            if (++myAruCount == config.failRecvConst())
            {
                counters.increment(Counter.FAIL_TO_RECEIVE);
                if (events != null && newAruId != nodeId)
                {
                    failedToReceive = newAruId;
                }
                LOG.warn("node {} ring {}: aru {} unchanged for {} rotations (held back by node {})",
                    nodeId, ringId(), newAru, myAruCount, newAruId);
            }
        }
        else
        {
            myAruCount = 0;
        }

        // Step 8: flow-control fields, replacing our contribution of the previous visit.
        final int backlogNow = backlogDatagrams();
        final int newFcc = Math.max(0, fcc + sent - myTrc);
        final int newBacklog = Math.max(0, tokenBacklog + backlogNow - myPbl);
        myTrc = sent;
        myPbl = backlogNow;

        tokenOut.tokenSeq(tokenIn.tokenSeq() + 1).seq(seq).aru(newAru).aruId(newAruId).fcc(newFcc)
            .backlog(newBacklog).retransFlg(false).rtrCount(rtrCount);
        for (int i = 0; i < rtrCount; i++)
        {
            tokenOut.rtr(i, ringSeq, rep, rtrSeqs[i]);
        }
        tokenCopyLength = TokenFlyweight.lengthFor(rtrCount);
        myTokenSeq = tokenIn.tokenSeq() + 1;

        // §2.4 safe: everything up to min(aru we forwarded last visit, aru we forward now) is held by all.
        safeUpTo = Math.min(lastFwdAru, newAru);
        lastFwdAru = newAru;
        lastFwdSeq = seq;

        // Step 9/10: forward and arm the timers (an idle token rests before its visit, see mayPark).
        tokenLossDeadline = now + config.tokenNs();
        forwardToken();
        if (lastBeforeToken < seq)
        {
            multicastHeld(lastBeforeToken + 1, seq);
            counters.add(Counter.DATAGRAMS_AFTER_TOKEN, seq - lastBeforeToken);
        }

        // Step 11: deliver and discard.
        deliver();
        discard();
        if (failedToReceive != 0)
        {
            final int failed = failedToReceive;
            failedToReceive = 0;
            events.onFailToReceive(failed);
        }
    }

    private boolean containsRtr(final int count, final long seq)
    {
        for (int i = 0; i < count; i++)
        {
            if (rtrSeqs[i] == seq)
            {
                return true;
            }
        }
        return false;
    }

    private void forwardToken()
    {
        sendToken(tokenCopy, tokenCopyLength);
        tokenRetransmitDeadline = members.length > 1 ? now + config.tokenRetransmitNs() : OFF;
    }

    private void sendToken(final UnsafeBuffer token, final int length)
    {
        if (successor == nodeId)
        {
            // A ring of one passes the token to itself, one hop further on.
            pendingToken.putBytes(0, token, 0, length);
            pendingToken.putLong(TokenFlyweight.TOKEN_SEQ_OFFSET,
                token.getLong(TokenFlyweight.TOKEN_SEQ_OFFSET, HeaderFlyweight.ORDER) + 1, HeaderFlyweight.ORDER);
            pendingTokenLength = length;
        }
        else if (!transport.unicast(successor, token, 0, length))
        {
            counters.increment(Counter.SEND_FAILED);
        }
    }

    private void multicast(final DirectBuffer buffer, final int offset, final int length)
    {
        if (members.length > 1 && !transport.multicast(buffer, offset, length))
        {
            counters.increment(Counter.SEND_FAILED);
        }
    }

    private void multicastHeld(final long from, final long to)
    {
        for (long s = from; s <= to; s++)
        {
            final int length = received.wrap(s, storedView);
            multicast(storedView, 0, length);
        }
    }

    private void sendControl(final MessageType type)
    {
        headerIn.wrap(controlFrame, 0, HeaderFlyweight.HEADER_LENGTH);
        headerIn.putHeader(type, nodeId, ringSeq, rep);
        multicast(controlFrame, 0, HeaderFlyweight.HEADER_LENGTH);
    }

    private int backlogDatagrams()
    {
        final int bytes = sendQueue.size() + (fragmentLength - fragmentOffset);
        final int payload = frameLength - DataMessageFlyweight.ENTRIES_OFFSET;
        return (bytes + payload - 1) / payload;
    }

    /**
     * Build the next datagram in sendFrame from the fragment in progress and the send queue.
     * Whole messages are packed together while they fit; a message larger than one datagram is
     * staged and cut into fragments. Only messages of one guarantee share a datagram.
     *
     * @return the datagram length, or 0 if there was nothing to send.
     */
    private int packDatagram()
    {
        dataOut.wrap(sendFrame, 0, frameLength);
        dataOut.putHeader(MessageType.DATA, nodeId, ringSeq, rep);
        dataOut.putBody(0, 0);
        fillFromFragment();
        if (fragmentLength == 0)
        {
            sendQueue.controlledRead(packer, Integer.MAX_VALUE);
            if (fragmentLength > 0)
            {
                fillFromFragment();
            }
        }
        return dataOut.encodedEntryCount() == 0 ? 0 : dataOut.encodedLength();
    }

    private void fillFromFragment()
    {
        if (fragmentLength == 0)
        {
            return;
        }
        if (dataOut.encodedEntryCount() > 0 && fragmentSafe != packSafe)
        {
            return;
        }
        final int chunk = Math.min(fragmentLength - fragmentOffset, dataOut.remainingPayloadCapacity());
        if (chunk <= 0)
        {
            return;
        }
        final int flags = (fragmentOffset == 0 ? DataMessageFlyweight.FRAGMENT_FIRST : 0) |
            (fragmentOffset + chunk == fragmentLength ? DataMessageFlyweight.FRAGMENT_LAST : 0);
        dataOut.appendEntry(fragment, fragmentOffset, chunk, flags);
        packSafe = fragmentSafe;
        fragmentOffset += chunk;
        if (fragmentOffset == fragmentLength)
        {
            fragmentLength = 0;
            fragmentOffset = 0;
        }
    }

    private ControlledMessageHandler.Action pack(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final boolean safe = msgTypeId == MSG_SAFE;
        final boolean empty = dataOut.encodedEntryCount() == 0;
        if (!empty && safe != packSafe)
        {
            return ControlledMessageHandler.Action.ABORT;
        }
        final int room = dataOut.remainingPayloadCapacity();
        if (length <= room)
        {
            dataOut.appendEntry(buffer, index, length, DataMessageFlyweight.FRAGMENT_WHOLE);
            packSafe = safe;
            counters.increment(Counter.MESSAGES_ORIGINATED);
            return ControlledMessageHandler.Action.CONTINUE;
        }
        final int wholeCapacity = Math.min(DataMessageFlyweight.MAX_ENTRY_LENGTH,
            frameLength - DataMessageFlyweight.ENTRIES_OFFSET - DataMessageFlyweight.ENTRY_HEADER_LENGTH);
        if (!empty && length <= wholeCapacity)
        {
            return ControlledMessageHandler.Action.ABORT;
        }
        fragment.putBytes(0, buffer, index, length);
        fragmentLength = length;
        fragmentOffset = 0;
        fragmentSafe = safe;
        counters.increment(Counter.MESSAGES_ORIGINATED);
        return ControlledMessageHandler.Action.BREAK;
    }

    // §2.3: agreed delivery in seq order, never across a gap; safe also waits for safeUpTo.
    private void deliver()
    {
        // A halted ring delivers only at installation (§3.6), so that every member of the
        // transitional configuration makes the same regular/transitional split.
        while (!halted)
        {
            final long next = myHighDelivered + 1;
            if (!received.has(next))
            {
                if (brokenDeliverAcrossGaps && next < myHighSeqReceived)
                {
                    myHighDelivered = next;
                    continue;
                }
                return;
            }
            final int length = received.wrap(next, storedView);
            stored.wrap(storedView, 0, length);
            if (stored.isSafe() && next > safeUpTo)
            {
                return;
            }
            myHighDelivered = next;
            deliverEntries(next);
        }
    }

    private void deliverEntries(final long seq)
    {
        final int sender = stored.sender();
        final Guarantee guarantee = stored.isSafe() ? Guarantee.SAFE : Guarantee.AGREED;
        final MutableDirectBuffer buffer = stored.buffer();
        int entry = stored.firstEntry();
        for (int i = 0, n = stored.entryCount(); i < n; i++, entry = stored.nextEntry(entry))
        {
            final int length = stored.entryLength(entry);
            final int payload = stored.entryPayloadOffset(entry);
            final int flags = stored.entryFragmentFlags(entry);
            if (flags == DataMessageFlyweight.FRAGMENT_WHOLE)
            {
                counters.increment(Counter.MESSAGES_DELIVERED);
                listener.onMessage(sender, seq, guarantee, buffer, payload, length);
                continue;
            }
            final ExpandableArrayBuffer assembly = reassembly.get(sender);
            final int[] assembled = reassemblyLength.get(sender);
            if ((flags & DataMessageFlyweight.FRAGMENT_FIRST) != 0)
            {
                assembled[0] = 0;
            }
            if (assembled[0] < 0 || assembled[0] + length > config.maxMessageSize())
            {
                counters.increment(Counter.FRAGMENTS_ORPHANED);
                assembled[0] = -1;
                continue;
            }
            assembly.putBytes(assembled[0], buffer, payload, length);
            assembled[0] += length;
            if ((flags & DataMessageFlyweight.FRAGMENT_LAST) != 0)
            {
                counters.increment(Counter.MESSAGES_DELIVERED);
                final int total = assembled[0];
                assembled[0] = -1;
                listener.onMessage(sender, seq, guarantee, assembly, 0, total);
            }
        }
    }

    // §2.4 discard: free what every member holds and we have delivered.
    private void discard()
    {
        final long upTo = Math.min(safeUpTo, myHighDelivered);
        while (lastReleased < upTo)
        {
            received.release(++lastReleased);
        }
    }
}
