package org.ringmaster.totem.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.collections.Object2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One non-blocking datagram socket with reused direct buffers: the shared hot path of the UDP
 * transports. Sends copy the caller's bytes into one direct buffer ("staging") so a multicast is
 * copied once and sent many times; receives land in one direct buffer that the handler sees through
 * a fixed {@link UnsafeBuffer} view. Nothing is allocated per datagram here (the JDK caches the
 * sender address of consecutive datagrams from the same peer).
 */
final class DatagramEndpoint implements AutoCloseable
{
    static final int SENT = 1;
    static final int FULL = 0;
    static final int FAILED = -1;

    private static final Logger LOG = LoggerFactory.getLogger(DatagramEndpoint.class);
    private static final int NO_NODE = 0;
    /** Log one send or receive error in this many, so a dead route cannot flood the log. */
    private static final int ERROR_LOG_EVERY = 1000;

    private final String name;
    private final DatagramChannel channel;
    private final int maxDatagramLength;
    private final ByteBuffer receiveBuffer;
    private final UnsafeBuffer receiveView;
    private final ByteBuffer sendBuffer;
    private final Object2IntHashMap<InetSocketAddress> senders;
    private final InetSocketAddress ignoredSource;
    private long sendErrors;
    private long receiveErrors;

    /**
     * @param ignoredSource datagrams from this address are skipped silently (our own multicasts
     *                      looped back by the kernel); null for none.
     */
    DatagramEndpoint(
        final String name,
        final DatagramChannel channel,
        final int maxDatagramLength,
        final Map<Integer, InetSocketAddress> nodes,
        final InetSocketAddress ignoredSource)
    {
        this.name = name;
        this.channel = channel;
        this.maxDatagramLength = maxDatagramLength;
        // One spare byte: a datagram that fills it was longer than allowed (the kernel truncates silently).
        this.receiveBuffer = ByteBuffer.allocateDirect(maxDatagramLength + 1);
        this.receiveView = new UnsafeBuffer(receiveBuffer);
        this.sendBuffer = ByteBuffer.allocateDirect(maxDatagramLength);
        this.senders = new Object2IntHashMap<>(NO_NODE);
        nodes.forEach((id, address) -> senders.put(address, (int)id));
        this.ignoredSource = ignoredSource;
    }

    /** Open a non-blocking UDP socket of the config's family, set its buffers, and bind it. */
    static DatagramChannel open(
        final UdpConfig config,
        final InetSocketAddress bindAddress,
        final boolean reuseAddress,
        final String what)
    {
        final ProtocolFamily family = config.ipv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        DatagramChannel channel = null;
        try
        {
            channel = DatagramChannel.open(family);
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
            if (config.sendBufferBytes() > 0)
            {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, config.sendBufferBytes());
            }
            if (config.receiveBufferBytes() > 0)
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBufferBytes());
            }
            channel.bind(bindAddress);
            LOG.info("{} bound to {} (SO_SNDBUF {} requested {}, SO_RCVBUF {} requested {})",
                what, bindAddress,
                channel.getOption(StandardSocketOptions.SO_SNDBUF), config.sendBufferBytes(),
                channel.getOption(StandardSocketOptions.SO_RCVBUF), config.receiveBufferBytes());
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(channel);
            throw new UncheckedIOException(new IOException(
                "cannot bind " + what + " to " + bindAddress + ": " + ex.getMessage(), ex));
        }
    }

    DatagramChannel channel()
    {
        return channel;
    }

    /** Copy one datagram into the send buffer; {@link #sendStaged} then sends it to any number of peers. */
    void stage(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0 || length > maxDatagramLength)
        {
            throw new IllegalArgumentException(
                name + ": datagram of " + length + " bytes exceeds maxDatagramLength " + maxDatagramLength);
        }
        buffer.getBytes(offset, sendBuffer, 0, length);
        sendBuffer.limit(length).position(0);
    }

    /** @return {@link #SENT}, {@link #FULL} (socket buffer full, try later) or {@link #FAILED}. */
    int sendStaged(final SocketAddress to)
    {
        sendBuffer.position(0);
        try
        {
            return channel.send(sendBuffer, to) > 0 || sendBuffer.limit() == 0 ? SENT : FULL;
        }
        catch (final IOException ex)
        {
            if (sendErrors++ % ERROR_LOG_EVERY == 0)
            {
                LOG.warn("{}: send to {} failed ({} such errors so far): {}", name, to, sendErrors, ex.toString());
            }
            return FAILED;
        }
    }

    /**
     * Read up to {@code limit} datagrams without blocking; hand those from known senders with a
     * valid length to the handler.
     *
     * @return how many were handed up.
     */
    int receive(final DatagramHandler handler, final int limit, final TransportCounters counters)
    {
        int delivered = 0;
        for (int i = 0; i < limit; i++)
        {
            receiveBuffer.clear();
            final SocketAddress from;
            try
            {
                from = channel.receive(receiveBuffer);
            }
            catch (final IOException ex)
            {
                if (receiveErrors++ % ERROR_LOG_EVERY == 0)
                {
                    LOG.warn("{}: receive failed ({} such errors so far): {}", name, receiveErrors, ex.toString());
                }
                break;
            }
            if (from == null)
            {
                break;
            }
            if (ignoredSource != null && ignoredSource.equals(from))
            {
                continue;
            }
            counters.received();
            final int length = receiveBuffer.position();
            if (senders.getValue((InetSocketAddress)from) == NO_NODE)
            {
                counters.drop(TransportCounters.Drop.UNKNOWN_SENDER);
                continue;
            }
            if (length == 0 || length > maxDatagramLength)
            {
                counters.drop(TransportCounters.Drop.BAD_LENGTH);
                continue;
            }
            handler.onDatagram(receiveView, 0, length);
            delivered++;
        }
        return delivered;
    }

    @Override
    public void close()
    {
        closeQuietly(channel);
    }

    static void closeQuietly(final AutoCloseable closeable)
    {
        if (closeable != null)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ex)
            {
                LOG.debug("close failed", ex);
            }
        }
    }
}
