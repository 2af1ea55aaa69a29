package org.ringmaster.totem.transport.aeron;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;
import org.ringmaster.totem.transport.TransportCounters.Drop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code transport: aeron}: datagrams over Aeron UDP with an embedded media driver per node.
 *
 * <p>Each node has one subscription on its own endpoint and one exclusive publication per peer;
 * {@link #multicast} offers the datagram to every peer's publication. Aeron makes each peer's
 * stream reliable and ordered, so the ring's retransmissions are only needed when a peer is down
 * or restarts. Every Aeron message starts with a {@value #HEADER_LENGTH}-byte header holding the
 * sender's node id (little-endian); a message whose id is not a peer in the node list is dropped
 * and counted {@link Drop#UNKNOWN_SENDER}, one with no payload or a payload longer than
 * {@link #maxDatagramLength()} {@link Drop#BAD_LENGTH}.
 *
 * <p>Back-pressure: {@link #unicast} returns {@code false} when the peer's flow-control window is
 * full; {@link #multicast} checks every connected peer's window first and returns {@code false}
 * before sending anything if one is full, so a multicast is never sent to only some of the peers
 * because of back-pressure. A peer that is not connected (down, or not started yet) does not hold
 * the others back: its copy is dropped and counted {@link Drop#SEND_FAILED}, as a UDP datagram to a
 * dead host would be lost.
 *
 * <p>Not thread-safe, like every transport: one agent thread owns it.
 */
public final class AeronTransport implements Transport
{
    /** The sender's node id in front of every datagram. */
    public static final int HEADER_LENGTH = 4;

    private static final Logger LOG = LoggerFactory.getLogger(AeronTransport.class);
    private static final int SENT = 1;
    private static final int FULL = 0;
    private static final int FAILED = -1;
    private static final int LOG_EVERY = 1000;
    private static final int ADMIN_RETRIES = 3;

    private final AeronConfig config;
    private final String name;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final AgentInvoker driverInvoker;
    private final AgentInvoker clientInvoker;
    private final Subscription subscription;
    private final int[] peerIds;
    private final ExclusivePublication[] publications;
    private final IntHashSet peers = new IntHashSet();
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[HEADER_LENGTH]);
    private final FragmentAssembler assembler;
    private final TransportCounters counters = new TransportCounters();
    private DatagramHandler handler;
    private int delivered;
    private long failures;
    private boolean closed;

    /** Starts the embedded driver, the subscription and one publication per peer; failures name the node. */
    public AeronTransport(final AeronConfig config)
    {
        this.config = config;
        this.name = "aeron node " + config.localNodeId();
        final boolean invoker = config.threading() == AeronConfig.Threading.INVOKER;
        final String directory = config.aeronDirectory() != null ? config.aeronDirectory() : freshDirectory(config);
        MediaDriver startedDriver = null;
        Aeron connected = null;
        try
        {
            final MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(directory)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .printConfigurationOnStart(false)
                .mtuLength(config.mtuLength())
                .publicationTermBufferLength(config.termLength())
                .errorHandler(this::onAeronError);
            if (invoker)
            {
                driverContext.threadingMode(ThreadingMode.INVOKER);
            }
            else
            {
                // Back off to a 100 us park when idle: on a 2-core box a busy-spinning driver per
                // node would starve the ring threads.
                driverContext.threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(new BackoffIdleStrategy(
                    10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100)));
            }
            startedDriver = MediaDriver.launchEmbedded(driverContext);
            final Aeron.Context clientContext = new Aeron.Context()
                .aeronDirectoryName(startedDriver.aeronDirectoryName())
                .errorHandler(this::onAeronError);
            if (invoker)
            {
                clientContext.useConductorAgentInvoker(true).driverAgentInvoker(startedDriver.sharedAgentInvoker());
            }
            connected = Aeron.connect(clientContext);
            this.driver = startedDriver;
            this.aeron = connected;
            this.driverInvoker = invoker ? startedDriver.sharedAgentInvoker() : null;
            this.clientInvoker = invoker ? connected.conductorAgentInvoker() : null;
            this.subscription = aeron.addSubscription(
                "aeron:udp?endpoint=" + endpoint(config.nodes().get(config.localNodeId())), config.streamId());
            final int peerCount = config.nodes().size() - 1;
            this.peerIds = new int[peerCount];
            this.publications = new ExclusivePublication[peerCount];
            int i = 0;
            for (final Map.Entry<Integer, InetSocketAddress> e : config.nodes().entrySet())
            {
                if (e.getKey() != config.localNodeId())
                {
                    peerIds[i] = e.getKey();
                    peers.add(e.getKey());
                    publications[i] = aeron.addExclusivePublication("aeron:udp?endpoint=" + endpoint(e.getValue())
                        + "|mtu=" + config.mtuLength() + "|term-length=" + config.termLength() + "|linger=0",
                        config.streamId());
                    i++;
                }
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(connected, startedDriver);
            throw new IllegalStateException(name + ": cannot start Aeron on "
                + config.nodes().get(config.localNodeId()) + " (directory " + directory + "): " + ex, ex);
        }
        header.putInt(0, config.localNodeId(), ByteOrder.LITTLE_ENDIAN);
        this.assembler = new FragmentAssembler(this::onFragment);
        LOG.info("{} listening on {} stream {} ({} threading, mtu {}, term {}, directory {})", name,
            config.nodes().get(config.localNodeId()), config.streamId(), config.threading(), config.mtuLength(),
            config.termLength(), directory);
    }

    private static String freshDirectory(final AeronConfig config)
    {
        final File shm = new File("/dev/shm");
        final String base = shm.isDirectory() && shm.canWrite() ? shm.getPath() : System.getProperty("java.io.tmpdir");
        return base + File.separator + "ringmaster-aeron-" + config.localNodeId() + "-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    private static String endpoint(final InetSocketAddress address)
    {
        final String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    @Override
    public int localNodeId()
    {
        return config.localNodeId();
    }

    @Override
    public int maxDatagramLength()
    {
        return config.maxDatagramLength();
    }

    @Override
    public boolean unicast(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(length);
        return offer(publications[peerIndex(nodeId)], buffer, offset, length) != FULL;
    }

    @Override
    public boolean multicast(final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(length);
        final int framed = framedLength(length);
        for (final ExclusivePublication publication : publications)
        {
            if (publication.isConnected() && publication.availableWindow() < framed)
            {
                return false;
            }
        }
        boolean anySent = false;
        for (final ExclusivePublication publication : publications)
        {
            final int result = offer(publication, buffer, offset, length);
            if (result == FULL)
            {
                if (!anySent)
                {
                    return false;
                }
                // Some peers have it already: the ring recovers this copy by retransmission.
                counters.drop(Drop.SEND_FAILED);
            }
            anySent |= result == SENT;
        }
        return true;
    }

    @Override
    public int poll(final DatagramHandler handler, final int limit)
    {
        if (driverInvoker != null)
        {
            driverInvoker.invoke();
            clientInvoker.invoke();
        }
        this.handler = handler;
        this.delivered = 0;
        try
        {
            subscription.poll(assembler, limit);
            return delivered;
        }
        finally
        {
            this.handler = null;
        }
    }

    @Override
    public TransportCounters counters()
    {
        return counters;
    }

    /** How many peers' publications are connected to a subscriber right now (for tests and diagnostics). */
    public int connectedPeers()
    {
        if (driverInvoker != null)
        {
            driverInvoker.invoke();
            clientInvoker.invoke();
        }
        int connected = 0;
        for (final ExclusivePublication publication : publications)
        {
            connected += publication.isConnected() ? 1 : 0;
        }
        return connected;
    }

    /** How many peers' streams this node's subscription receives right now. */
    public int connectedSources()
    {
        return subscription.imageCount();
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.quietCloseAll(publications);
        CloseHelper.quietCloseAll(subscription, aeron, driver);
    }

    private void checkLength(final int length)
    {
        if (length < 0 || length > config.maxDatagramLength())
        {
            throw new IllegalArgumentException(
                name + ": datagram of " + length + " bytes exceeds maxDatagramLength " + config.maxDatagramLength());
        }
    }

    private int peerIndex(final int nodeId)
    {
        for (int i = 0; i < peerIds.length; i++)
        {
            if (peerIds[i] == nodeId)
            {
                return i;
            }
        }
        throw new IllegalArgumentException(
            name + ": node " + nodeId + " is not a peer in the node list " + config.nodes().keySet());
    }

    /** Bytes one datagram takes in a term: Aeron frames of at most one MTU each, 32-byte aligned. */
    private int framedLength(final int length)
    {
        final int message = length + HEADER_LENGTH;
        final int maxPayload = config.mtuLength() - DataHeaderFlyweight.HEADER_LENGTH;
        final int frames = Math.max(1, (message + maxPayload - 1) / maxPayload);
        return BitUtil.align(message + frames * DataHeaderFlyweight.HEADER_LENGTH, FrameDescriptor.FRAME_ALIGNMENT);
    }

    private int offer(final ExclusivePublication publication, final DirectBuffer buffer, final int offset, final int length)
    {
        long result = publication.offer(header, 0, HEADER_LENGTH, buffer, offset, length);
        for (int retry = 0; retry < ADMIN_RETRIES && result == Publication.ADMIN_ACTION; retry++)
        {
            // A term rotation (or similar) happened under us: Aeron says to simply try again.
            result = publication.offer(header, 0, HEADER_LENGTH, buffer, offset, length);
        }
        if (result > 0)
        {
            counters.sent();
            return SENT;
        }
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            return FULL;
        }
        // NOT_CONNECTED (peer absent), CLOSED or MAX_POSITION_EXCEEDED: this copy is lost.
        counters.drop(Drop.SEND_FAILED);
        if (result != Publication.NOT_CONNECTED && failures++ % LOG_EVERY == 0)
        {
            LOG.warn("{}: offer to {} failed with {} ({} such so far)", name, publication.channel(), result, failures);
        }
        return FAILED;
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header frameHeader)
    {
        counters.received();
        if (length <= HEADER_LENGTH || length - HEADER_LENGTH > config.maxDatagramLength())
        {
            counters.drop(Drop.BAD_LENGTH);
            return;
        }
        if (!peers.contains(buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN)))
        {
            counters.drop(Drop.UNKNOWN_SENDER);
            return;
        }
        delivered++;
        handler.onDatagram(buffer, offset + HEADER_LENGTH, length - HEADER_LENGTH);
    }

    private void onAeronError(final Throwable error)
    {
        if (failures++ % LOG_EVERY == 0)
        {
            LOG.warn("{}: Aeron reported an error ({} such so far)", name, failures, error);
        }
    }
}
