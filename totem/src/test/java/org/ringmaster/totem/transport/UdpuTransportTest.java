package org.ringmaster.totem.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpuTransportTest
{
    private static final Duration DELIVERY = Duration.ofSeconds(10);

    @Test
    void threeNodesOnDistinctLoopbackAddressesWithTheSamePort()
    {
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2", "127.0.0.3");
        final Map<Integer, InetSocketAddress> nodes = new TreeMap<>();
        for (int id = 1; id <= 3; id++)
        {
            nodes.put(id, new InetSocketAddress("127.0.0." + id, port));
        }
        exchangeAmong(nodes);
    }

    @Test
    void threeNodesOnOneAddressWithDistinctPorts()
    {
        final Map<Integer, InetSocketAddress> nodes = new TreeMap<>();
        for (int id = 1; id <= 3; id++)
        {
            nodes.put(id, new InetSocketAddress("127.0.0.1", LoopbackPorts.samePortOn("127.0.0.1")));
        }
        exchangeAmong(nodes);
    }

    /** Every node multicasts once and unicasts once to its successor; each sees exactly what it should. */
    private static void exchangeAmong(final Map<Integer, InetSocketAddress> nodes)
    {
        final List<UdpuTransport> transports = new ArrayList<>();
        try
        {
            for (final int id : nodes.keySet())
            {
                transports.add(new UdpuTransport(UdpConfig.builder().localNodeId(id).nodes(nodes).build()));
            }
            for (final UdpuTransport t : transports)
            {
                final int successor = t.localNodeId() % nodes.size() + 1;
                assertThat(t.multicast(text("mcast from " + t.localNodeId()), 0, length("mcast from " + t.localNodeId())))
                    .isTrue();
                final String u = "ucast " + t.localNodeId() + "->" + successor;
                assertThat(t.unicast(successor, text(u), 0, length(u))).isTrue();
            }
            for (final UdpuTransport t : transports)
            {
                final List<String> got = new ArrayList<>();
                final int predecessor = (t.localNodeId() + nodes.size() - 2) % nodes.size() + 1;
                await().atMost(DELIVERY).pollInSameThread().until(() ->
                {
                    t.poll((b, o, l) -> got.add(b.getStringWithoutLengthAscii(o, l)), 10);
                    return got.size() >= 3;
                });
                final List<String> expected = new ArrayList<>();
                for (final int id : nodes.keySet())
                {
                    if (id != t.localNodeId())
                    {
                        expected.add("mcast from " + id);
                    }
                }
                expected.add("ucast " + predecessor + "->" + t.localNodeId());
                assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(t.poll((b, o, l) -> got.add("extra"), 10)).isZero();
                assertThat(t.counters().sentCount()).isEqualTo(3);
                assertThat(t.counters().receivedCount()).isEqualTo(3);
            }
        }
        finally
        {
            transports.forEach(UdpuTransport::close);
        }
    }

    @Test
    void datagramsFromAddressesOutsideTheNodeListAreDroppedAsUnknownSender() throws Exception
    {
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2", "127.0.0.9");
        final UdpConfig config = UdpConfig.builder().localNodeId(1)
            .node(1, new InetSocketAddress("127.0.0.1", port))
            .node(2, new InetSocketAddress("127.0.0.2", port))
            .build();
        try (UdpuTransport t = new UdpuTransport(config);
            DatagramChannel stranger = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.9", port));
            DatagramChannel wrongPort = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.2", 0)))
        {
            stranger.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), config.localAddress());
            wrongPort.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), config.localAddress());
            final List<Integer> delivered = new ArrayList<>();
            await().atMost(DELIVERY).pollInSameThread().until(() ->
            {
                t.poll((b, o, l) -> delivered.add(l), 10);
                return t.counters().drops(TransportCounters.Drop.UNKNOWN_SENDER) == 2;
            });
            assertThat(delivered).isEmpty();
            assertThat(t.counters().receivedCount()).isEqualTo(2);
        }
    }

    @Test
    void emptyAndOversizeDatagramsAreDroppedAsBadLength() throws Exception
    {
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2");
        final UdpConfig config = UdpConfig.builder().localNodeId(1).netmtu(576)
            .node(1, new InetSocketAddress("127.0.0.1", port))
            .node(2, new InetSocketAddress("127.0.0.2", port))
            .build();
        assertThat(config.maxDatagramLength()).isEqualTo(576 - 28);
        try (UdpuTransport t = new UdpuTransport(config);
            DatagramChannel peer = DatagramChannel.open().bind(config.nodes().get(2)))
        {
            peer.send(ByteBuffer.allocate(0), config.localAddress());
            peer.send(ByteBuffer.allocate(config.maxDatagramLength() + 1), config.localAddress());
            peer.send(ByteBuffer.allocate(5000), config.localAddress());
            peer.send(ByteBuffer.allocate(config.maxDatagramLength()), config.localAddress());
            final List<Integer> delivered = new ArrayList<>();
            await().atMost(DELIVERY).pollInSameThread().until(() ->
            {
                t.poll((b, o, l) -> delivered.add(l), 10);
                return t.counters().receivedCount() == 4;
            });
            assertThat(t.counters().drops(TransportCounters.Drop.BAD_LENGTH)).isEqualTo(3);
            assertThat(delivered).containsExactly(config.maxDatagramLength());
        }
    }

    @Test
    void sendingMoreThanMaxDatagramLengthIsACallerError()
    {
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2");
        final UdpConfig config = UdpConfig.builder().localNodeId(1)
            .node(1, new InetSocketAddress("127.0.0.1", port))
            .node(2, new InetSocketAddress("127.0.0.2", port))
            .build();
        try (UdpuTransport t = new UdpuTransport(config))
        {
            final UnsafeBuffer big = new UnsafeBuffer(new byte[config.maxDatagramLength() + 1]);
            assertThatThrownBy(() -> t.multicast(big, 0, big.capacity()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDatagramLength");
            assertThatThrownBy(() -> t.unicast(7, big, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 7");
        }
    }

    @Test
    void aPortInUseFailsWithTheNodeAndAddressNamed() throws Exception
    {
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2");
        final UdpConfig config = UdpConfig.builder().localNodeId(2)
            .node(1, new InetSocketAddress("127.0.0.1", port))
            .node(2, new InetSocketAddress("127.0.0.2", port))
            .build();
        try (DatagramChannel squatter = DatagramChannel.open().bind(config.localAddress()))
        {
            assertThat(squatter.getLocalAddress()).isEqualTo(config.localAddress());
            assertThatThrownBy(() -> new UdpuTransport(config))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("udpu node 2")
                .hasMessageContaining("127.0.0.2:" + port);
        }
    }

    @Test
    void socketBufferSizesAreApplied() throws Exception
    {
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2");
        final UdpConfig config = UdpConfig.builder().localNodeId(1)
            .node(1, new InetSocketAddress("127.0.0.1", port))
            .node(2, new InetSocketAddress("127.0.0.2", port))
            .sendBufferBytes(64 * 1024).receiveBufferBytes(96 * 1024)
            .build();
        try (UdpuTransport t = new UdpuTransport(config))
        {
            // Linux doubles the requested value for its bookkeeping; either way it follows the request.
            assertThat(t.sender().channel().getOption(java.net.StandardSocketOptions.SO_RCVBUF))
                .isIn(96 * 1024, 2 * 96 * 1024);
            assertThat(t.sender().channel().getOption(java.net.StandardSocketOptions.SO_SNDBUF))
                .isIn(64 * 1024, 2 * 64 * 1024);
        }
    }

    @Test
    void theHotPathDoesNotAllocatePerDatagram()
    {
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2");
        final Map<Integer, InetSocketAddress> nodes = Map.of(
            1, new InetSocketAddress("127.0.0.1", port), 2, new InetSocketAddress("127.0.0.2", port));
        try (UdpuTransport a = new UdpuTransport(UdpConfig.builder().localNodeId(1).nodes(nodes).build());
            UdpuTransport b = new UdpuTransport(UdpConfig.builder().localNodeId(2).nodes(nodes).build()))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
            final long[] sum = new long[1];
            final DatagramHandler handler = (buf, off, len) -> sum[0] += len;
            final int warmup = 30_000;
            final int measured = 100_000;
            pump(a, b, payload, handler, warmup);
            final com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long tid = Thread.currentThread().getId();
            final long before = mx.getThreadAllocatedBytes(tid);
            final long received = b.counters().receivedCount();
            pump(a, b, payload, handler, measured);
            final long allocated = mx.getThreadAllocatedBytes(tid) - before;
            final long got = b.counters().receivedCount() - received;
            assertThat(got).isGreaterThan(measured / 2);
            // A few stray objects (JIT, lazily built tables) are fine; one object per datagram is not.
            assertThat(allocated).as("bytes allocated for %d datagrams", got).isLessThan(got);
        }
    }

    /** Send n datagrams a->b, polling b as we go so its socket buffer never overflows. */
    private static void pump(
        final UdpuTransport a, final UdpuTransport b, final DirectBuffer payload, final DatagramHandler handler,
        final int n)
    {
        for (int i = 0; i < n; i++)
        {
            while (!a.unicast(2, payload, 0, payload.capacity()))
            {
                b.poll(handler, 64);
            }
            if ((i & 15) == 0)
            {
                b.poll(handler, 64);
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (b.counters().receivedCount() < a.counters().sentCount() && System.nanoTime() < deadline)
        {
            b.poll(handler, 64);
        }
    }

    @Test
    void configValidationNamesTheBadKey()
    {
        final InetSocketAddress a = new InetSocketAddress("127.0.0.1", 5405);
        assertThatThrownBy(() -> UdpConfig.builder().localNodeId(3).node(1, a).build())
            .hasMessageContaining("localNodeId=3");
        assertThatThrownBy(() -> UdpConfig.builder().localNodeId(1).node(1, a).netmtu(100).build())
            .hasMessageContaining("netmtu=100");
        assertThatThrownBy(() -> UdpConfig.builder().localNodeId(1).node(1, a).node(2, a).build())
            .hasMessageContaining("same address");
        assertThatThrownBy(() -> UdpConfig.builder().localNodeId(1).node(1, a).node(1, a))
            .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> UdpConfig.builder().localNodeId(0).node(0, a).build())
            .hasMessageContaining("node id 0");
        assertThatThrownBy(() -> UdpConfig.builder().localNodeId(1).node(1, a)
            .node(2, InetSocketAddress.createUnresolved("no.such.host.invalid", 5405)).build())
            .hasMessageContaining("nodes[2]").hasMessageContaining("unresolved");
        assertThatThrownBy(() -> UdpConfig.builder().localNodeId(1).node(1, a)
            .node(2, new InetSocketAddress("::1", 5405)).build())
            .hasMessageContaining("IPv4 and IPv6");
        assertThatThrownBy(() -> UdpConfig.builder().localNodeId(1).node(1, a).receiveBufferBytes(-1).build())
            .hasMessageContaining("receiveBufferBytes=-1");
        assertThatThrownBy(() -> UdpConfig.builder().build()).hasMessageContaining("nodes is empty");
        assertThat(UdpConfig.builder().localNodeId(1).node(1, a).build().maxDatagramLength()).isEqualTo(1472);
    }

    private static UnsafeBuffer text(final String s)
    {
        return new UnsafeBuffer(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static int length(final String s)
    {
        return s.length();
    }
}
