package org.ringmaster.quorum;

import java.util.function.LongSupplier;

import org.agrona.DirectBuffer;
import org.ringmaster.membership.EvsChannel;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.membership.TotemNode;
import org.ringmaster.totem.Guarantee;

/**
 * Votequorum on a live ring: feeds {@link VoteQuorum} the membership node's regular configurations
 * and the vote messages of its EVS sub-channel, and answers {@link #isQuorate} only while the ring is
 * demonstrably alive ({@link TotemNode#hasLiveRing}). That lease is what keeps a node that was cut
 * off, and has not yet noticed, from counting as quorate while the others form a quorate ring
 * without it.
 *
 * <p>A quorum device ({@link QuorumDevice}: qdisk, ping) is driven from {@link #doWork}; its claim
 * is announced with every configuration change and re-announced in total order whenever it changes,
 * so all members count the device votes alike. A claim this node's device has withdrawn stops
 * counting on this node at once, before the withdrawal is delivered (see {@link VoteQuorum}).
 *
 * <p>Single-threaded: the listener callbacks and {@link #doWork} run on the node's agent thread,
 * except {@link #deviceStatus()}, which any thread may read.
 */
public final class EvsQuorum implements EvsListener
{
    /** How often the device snapshot for other threads is refreshed. */
    private static final long DEVICE_SNAPSHOT_NS = 200_000_000L;

    private final TotemNode node;
    private final VoteQuorum votes;
    private final LongSupplier clock;
    private final QuorumDevice device;
    private final int deviceVotes;
    private long deviceSnapshotNs = Long.MIN_VALUE;
    /** Volatile: read by status queries on other threads. */
    private volatile DeviceStatus deviceStatus;

    /**
     * @param channel the quorum's own sub-channel of the node's ring (see EvsMultiplexer); this
     *                object becomes its listener.
     */
    public EvsQuorum(final TotemNode node, final EvsChannel channel, final QuorumConfig config,
        final QuorumDevice deviceOrNull, final QuorumListener listener, final LongSupplier clock)
    {
        this(node, channel, config, deviceOrNull, listener, clock, null);
    }

    /** @param registryOrNull where {@code ringmaster.quorum.*} meters go, if anywhere. */
    public EvsQuorum(final TotemNode node, final EvsChannel channel, final QuorumConfig config,
        final QuorumDevice deviceOrNull, final QuorumListener listener, final LongSupplier clock,
        final io.micrometer.core.instrument.MeterRegistry registryOrNull)
    {
        this.node = node;
        this.clock = clock;
        this.device = deviceOrNull;
        this.deviceVotes = config.deviceVotes();
        this.votes = new VoteQuorum(config, node.nodeId(),
            (buffer, offset, length) -> channel.offer(buffer, offset, length, Guarantee.AGREED),
            deviceOrNull, listener, registryOrNull);
        channel.listener(this);
    }

    public VoteQuorum votes()
    {
        return votes;
    }

    /** Quorate by the votes, and the ring is alive. */
    public boolean isQuorate(final long nowNs)
    {
        return votes.isQuorate() && node.hasLiveRing(nowNs);
    }

    /** Retries and timers of the vote exchange, and the device; call once per duty cycle. */
    public int doWork(final long nowNs)
    {
        final int work = votes.doWork(nowNs);
        if (device != null && (deviceSnapshotNs == Long.MIN_VALUE || nowNs - deviceSnapshotNs >= DEVICE_SNAPSHOT_NS))
        {
            deviceSnapshotNs = nowNs;
            final DeviceStatus next = new DeviceStatus(device.name(), deviceVotes, device.castsVote(), device.score(),
                device.details());
            if (!next.equals(deviceStatus))
            {
                deviceStatus = next;
            }
        }
        return work;
    }

    /** The quorum device as of the last few duty cycles (0.2 s at most), if one is attached; any thread. */
    public java.util.Optional<DeviceStatus> deviceStatus()
    {
        return java.util.Optional.ofNullable(deviceStatus);
    }

    @Override
    public void onMessage(final int sender, final Guarantee guarantee, final DirectBuffer buffer, final int offset,
        final int length)
    {
        votes.onMessage(buffer, offset, length, clock.getAsLong());
    }

    @Override
    public void onConfigurationChange(final org.ringmaster.membership.ConfigurationChange change)
    {
        if (change.isRegular())
        {
            votes.onConfigurationChange(new ConfigurationChange(new RingId(change.ringSeq(), change.rep()),
                change.members(), change.joined(), change.left()), clock.getAsLong());
        }
    }
}
