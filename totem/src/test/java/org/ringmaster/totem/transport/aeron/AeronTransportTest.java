package org.ringmaster.totem.transport.aeron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ringmaster.totem.transport.LoopbackPorts;
import org.ringmaster.totem.transport.TransportCounters.Drop;

/** Three (or two) AeronTransports with embedded media drivers on 127.0.0.1, one port each. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AeronTransportTest
{
    private static final Duration DELIVERY = Duration.ofSeconds(20);

    /** Polls often: with INVOKER threading the drivers only work while the test polls. */
    private static ConditionFactory eventually()
    {
        return await().atMost(DELIVERY).pollInterval(Duration.ofMillis(1)).pollInSameThread();
    }

    private static Map<Integer, InetSocketAddress> nodes(final int count)
    {
        final Map<Integer, InetSocketAddress> nodes = new TreeMap<>();
        for (int id = 1; id <= count; id++)
        {
            nodes.put(id, new InetSocketAddress("127.0.0.1", LoopbackPorts.samePortOn("127.0.0.1")));
        }
        return nodes;
    }

    private static UnsafeBuffer text(final String s)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[s.length()]);
        b.putStringWithoutLengthAscii(0, s);
        return b;
    }

    private static List<AeronTransport> start(final Map<Integer, InetSocketAddress> nodes,
        final AeronConfig.Threading threading, final int termLength)
    {
        final List<AeronTransport> transports = new ArrayList<>();
        try
        {
            for (final int id : nodes.keySet())
            {
                transports.add(new AeronTransport(AeronConfig.builder().localNodeId(id).nodes(nodes)
                    .threading(threading).termLength(termLength).build()));
            }
            // Publications connect once the peers' subscriptions answer the setup.
            // Every transport is polled each round: with INVOKER threading that is what runs its driver.
            eventually().until(() -> transports.stream()
                .filter(t -> pollNothing(t) && t.connectedPeers() == nodes.size() - 1).count() == transports.size());
            return transports;
        }
        catch (final RuntimeException | Error ex)
        {
            transports.forEach(AeronTransport::close);
            throw ex;
        }
    }

    private static boolean pollNothing(final AeronTransport t)
    {
        t.poll((b, o, l) -> { }, 10);
        return true;
    }

    @ParameterizedTest
    @EnumSource(AeronConfig.Threading.class)
    void threeNodesExchangeMulticastsAndUnicasts(final AeronConfig.Threading threading)
    {
        final Map<Integer, InetSocketAddress> nodes = nodes(3);
        final List<AeronTransport> transports = start(nodes, threading, AeronConfig.DEFAULT_TERM_LENGTH);
        try
        {
            for (final AeronTransport t : transports)
            {
                final int successor = t.localNodeId() % 3 + 1;
                final String m = "mcast from " + t.localNodeId();
                assertThat(t.multicast(text(m), 0, m.length())).isTrue();
                final String u = "ucast " + t.localNodeId() + "->" + successor;
                assertThat(t.unicast(successor, text(u), 0, u.length())).isTrue();
            }
            // Poll every node each round (with INVOKER threading the senders' drivers run only then).
            final Map<Integer, List<String>> got = new TreeMap<>();
            transports.forEach(t -> got.put(t.localNodeId(), new ArrayList<>()));
            eventually().until(() ->
            {
                transports.forEach(t -> t.poll((b, o, l) -> got.get(t.localNodeId())
                    .add(b.getStringWithoutLengthAscii(o, l)), 10));
                return got.values().stream().allMatch(list -> list.size() >= 3);
            });
            for (final AeronTransport t : transports)
            {
                final int predecessor = (t.localNodeId() + 1) % 3 + 1;
                final List<String> expected = new ArrayList<>();
                nodes.keySet().stream().filter(id -> id != t.localNodeId()).forEach(id -> expected.add("mcast from " + id));
                expected.add("ucast " + predecessor + "->" + t.localNodeId());
                assertThat(got.get(t.localNodeId())).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(t.poll((b, o, l) -> got.get(t.localNodeId()).add("extra"), 10)).isZero();
                assertThat(got.get(t.localNodeId())).hasSize(3);
                assertThat(t.counters().sentCount()).isEqualTo(3);
                assertThat(t.counters().receivedCount()).isEqualTo(3);
            }
        }
        finally
        {
            transports.forEach(AeronTransport::close);
        }
    }

    @Test
    void datagramsLongerThanOneAeronFrameArriveWholeAndInOrder()
    {
        final Map<Integer, InetSocketAddress> nodes = nodes(2);
        final List<AeronTransport> transports = start(nodes, AeronConfig.Threading.SHARED, AeronConfig.DEFAULT_TERM_LENGTH);
        try
        {
            final AeronTransport from = transports.get(0);
            final AeronTransport to = transports.get(1);
            final int max = from.maxDatagramLength();
            final int[] lengths = {1, 100, 1404, 1405, max};
            int sent = 0;
            for (final int length : lengths)
            {
                final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
                for (int i = 0; i < length; i++)
                {
                    b.putByte(i, (byte)(i * 31 + length));
                }
                eventually().until(() -> from.unicast(2, b, 0, length));
                sent++;
            }
            final List<byte[]> got = new ArrayList<>();
            eventually().until(() ->
            {
                to.poll((b, o, l) ->
                {
                    final byte[] copy = new byte[l];
                    b.getBytes(o, copy);
                    got.add(copy);
                }, 10);
                return got.size() >= lengths.length;
            });
            assertThat(sent).isEqualTo(lengths.length);
            for (int k = 0; k < lengths.length; k++)
            {
                assertThat(got.get(k)).hasSize(lengths[k]);
                for (int i = 0; i < lengths[k]; i++)
                {
                    assertThat(got.get(k)[i]).isEqualTo((byte)(i * 31 + lengths[k]));
                }
            }
        }
        finally
        {
            transports.forEach(AeronTransport::close);
        }
    }

    @Test
    void aFullWindowIsBackPressureAndClearsWhenTheReceiverPolls()
    {
        final Map<Integer, InetSocketAddress> nodes = nodes(2);
        // Smallest term: the window is at most half a term, so a silent receiver fills it quickly.
        final List<AeronTransport> transports = start(nodes, AeronConfig.Threading.SHARED, AeronConfig.MIN_TERM);
        try
        {
            final AeronTransport from = transports.get(0);
            final AeronTransport to = transports.get(1);
            final UnsafeBuffer b = new UnsafeBuffer(new byte[1000]);
            int accepted = 0;
            while (from.multicast(b, 0, 1000))
            {
                accepted++;
                assertThat(accepted).as("multicast never pushed back").isLessThan(10_000);
            }
            assertThat(accepted).isPositive();
            final int sent = accepted;
            final int[] received = {0};
            eventually().until(() ->
            {
                to.poll((buf, o, l) -> received[0]++, 100);
                return received[0] == sent;
            });
            eventually().until(() -> from.multicast(b, 0, 1000));
            assertThat(from.counters().drops(Drop.SEND_FAILED)).isZero();
        }
        finally
        {
            transports.forEach(AeronTransport::close);
        }
    }

    @Test
    void aPeerThatIsDownDoesNotHoldBackTheOthers()
    {
        final Map<Integer, InetSocketAddress> nodes = nodes(3);
        final List<AeronTransport> transports = start(nodes, AeronConfig.Threading.SHARED, AeronConfig.DEFAULT_TERM_LENGTH);
        try
        {
            transports.get(2).close();
            final AeronTransport from = transports.get(0);
            eventually().until(() -> from.connectedPeers() == 1);
            final String m = "still here";
            assertThat(from.multicast(text(m), 0, m.length())).isTrue();
            assertThat(from.unicast(3, text(m), 0, m.length())).isTrue();
            assertThat(from.counters().drops(Drop.SEND_FAILED)).isEqualTo(2);
            final List<String> got = new ArrayList<>();
            eventually().until(() ->
            {
                transports.get(1).poll((b, o, l) -> got.add(b.getStringWithoutLengthAscii(o, l)), 10);
                return !got.isEmpty();
            });
            assertThat(got).containsExactly(m);
        }
        finally
        {
            transports.forEach(AeronTransport::close);
        }
    }

    @Test
    void aSenderOutsideTheNodeListIsDroppedAsUnknown()
    {
        final Map<Integer, InetSocketAddress> nodes = nodes(2);
        final InetSocketAddress strangerEndpoint = new InetSocketAddress("127.0.0.1", LoopbackPorts.samePortOn("127.0.0.1"));
        final Map<Integer, InetSocketAddress> strangerView = new TreeMap<>();
        strangerView.put(1, nodes.get(1));
        strangerView.put(9, strangerEndpoint);
        try (AeronTransport node1 = new AeronTransport(AeronConfig.builder().localNodeId(1).nodes(nodes).build());
            AeronTransport stranger = new AeronTransport(AeronConfig.builder().localNodeId(9).nodes(strangerView).build()))
        {
            final String m = "let me in";
            eventually().until(() -> stranger.connectedPeers() == 1);
            assertThat(stranger.unicast(1, text(m), 0, m.length())).isTrue();
            final List<String> got = new ArrayList<>();
            eventually().until(() ->
            {
                node1.poll((b, o, l) -> got.add("delivered"), 10);
                return node1.counters().drops(Drop.UNKNOWN_SENDER) == 1;
            });
            assertThat(got).isEmpty();
            assertThat(node1.counters().receivedCount()).isEqualTo(1);
        }
    }

    @Test
    void anEmptyDatagramIsDroppedAsBadLength()
    {
        final Map<Integer, InetSocketAddress> nodes = nodes(2);
        final List<AeronTransport> transports = start(nodes, AeronConfig.Threading.INVOKER, AeronConfig.DEFAULT_TERM_LENGTH);
        try
        {
            final UnsafeBuffer one = new UnsafeBuffer(new byte[1]);
            assertThat(transports.get(0).unicast(2, one, 0, 0)).isTrue();
            assertThat(transports.get(0).unicast(2, one, 0, 1)).isTrue();
            final List<Integer> got = new ArrayList<>();
            eventually().until(() ->
            {
                transports.get(0).poll((b, o, l) -> got.add(-l), 10);
                transports.get(1).poll((b, o, l) -> got.add(l), 10);
                return transports.get(1).counters().receivedCount() == 2;
            });
            assertThat(got).containsExactly(1);
            assertThat(transports.get(1).counters().drops(Drop.BAD_LENGTH)).isEqualTo(1);
        }
        finally
        {
            transports.forEach(AeronTransport::close);
        }
    }

    @Test
    void callerErrorsNameTheNode()
    {
        final Map<Integer, InetSocketAddress> nodes = nodes(2);
        try (AeronTransport t = new AeronTransport(AeronConfig.builder().localNodeId(1).nodes(nodes).build()))
        {
            final UnsafeBuffer big = new UnsafeBuffer(new byte[t.maxDatagramLength() + 1]);
            assertThatThrownBy(() -> t.multicast(big, 0, big.capacity()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aeron node 1")
                .hasMessageContaining("maxDatagramLength");
            assertThatThrownBy(() -> t.unicast(7, big, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 7");
            assertThat(t.maxDatagramLength()).isEqualTo(AeronConfig.DEFAULT_MAX_DATAGRAM_LENGTH);
        }
    }

    @Test
    void anEndpointInUseFailsWithTheNodeNamed() throws Exception
    {
        final Map<Integer, InetSocketAddress> nodes = nodes(2);
        try (java.nio.channels.DatagramChannel squatter = java.nio.channels.DatagramChannel.open().bind(nodes.get(2)))
        {
            assertThat(squatter.getLocalAddress()).isEqualTo(nodes.get(2));
            assertThatThrownBy(() -> new AeronTransport(AeronConfig.builder().localNodeId(2).nodes(nodes).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("aeron node 2")
                .hasMessageContaining(String.valueOf(nodes.get(2).getPort()));
        }
    }

    @Test
    void badSettingsNameTheKey()
    {
        final Map<Integer, InetSocketAddress> nodes = Map.of(1, new InetSocketAddress("127.0.0.1", 7000),
            2, new InetSocketAddress("127.0.0.1", 7001));
        assertThatThrownBy(() -> AeronConfig.builder().localNodeId(3).nodes(nodes).build())
            .hasMessageContaining("AeronConfig.localNodeId=3");
        assertThatThrownBy(() -> AeronConfig.builder().localNodeId(1).nodes(nodes).mtuLength(1000).build())
            .hasMessageContaining("AeronConfig.mtuLength=1000");
        assertThatThrownBy(() -> AeronConfig.builder().localNodeId(1).nodes(nodes).termLength(100_000).build())
            .hasMessageContaining("AeronConfig.termLength=100000");
        assertThatThrownBy(() -> AeronConfig.builder().localNodeId(1).nodes(nodes).maxDatagramLength(9000)
            .termLength(AeronConfig.MIN_TERM).build())
            .hasMessageContaining("AeronConfig.maxDatagramLength=9000");
        assertThatThrownBy(() -> AeronConfig.builder().localNodeId(1).build())
            .hasMessageContaining("AeronConfig.nodes is empty");
        assertThatThrownBy(() -> AeronConfig.builder().localNodeId(1).nodes(nodes)
            .node(2, new InetSocketAddress("0.0.0.0", 7001)).build())
            .hasMessageContaining("AeronConfig.nodes[2]");
        assertThat(AeronConfig.builder().localNodeId(1).nodes(nodes).build().threading())
            .isEqualTo(AeronConfig.Threading.SHARED);
    }
}
