package org.ringmaster.membership.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.membership.link.LinkCounters.Counter;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters.Drop;

/** Malformed frames, bogus answers and bad construction: dropped or refused with a clear reason. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrameValidationTest
{
    private static byte[] frame(final int version, final int type, final int link, final int flags, final int sender,
        final long session, final long seq, final int payload)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[LinkFrame.HEADER_LENGTH + payload]);
        LinkFrame.put(b, type, link, sender, session, seq);
        b.putByte(LinkFrame.VERSION_OFFSET, (byte)version);
        b.putByte(LinkFrame.FLAGS_OFFSET, (byte)flags);
        return b.byteArray();
    }

    @Test
    void malformedFramesAreCountedAndNeverHandedUp()
    {
        final MemoryCluster c = new MemoryCluster(2, 2, PassiveModeTest.config(LinkMode.ACTIVE));
        c.run(300);
        final long session = 7L << DuplicateWindow.SESSION_RANDOM_BITS;
        c.net.inject(0, 1, 2, new byte[10]);
        c.net.inject(0, 1, 2, frame(2, LinkFrame.TYPE_DATA, 0, 0, 1, session, 1, 100));
        c.net.inject(0, 1, 2, frame(1, 9, 0, 0, 1, session, 1, 100));
        c.net.inject(0, 1, 2, frame(1, LinkFrame.TYPE_DATA, 1, 0, 1, session, 1, 100));
        c.net.inject(0, 1, 2, frame(1, LinkFrame.TYPE_DATA, 0, 4, 1, session, 1, 100));
        c.net.inject(0, 1, 2, frame(1, LinkFrame.TYPE_DATA, 0, 0, 9, session, 1, 100));
        c.net.inject(0, 1, 2, frame(1, LinkFrame.TYPE_DATA, 0, 0, 2, session, 1, 100));
        c.pump();
        final RedundantTransport two = c.node(2);
        assertThat(two.counters().drops(Drop.BAD_LENGTH)).isEqualTo(1);
        assertThat(two.linkCounters().get(0, Counter.MALFORMED)).as("version, type, link number, flags").isEqualTo(4);
        assertThat(two.counters().drops(Drop.UNKNOWN_SENDER)).as("node 9 and node 2 itself").isEqualTo(2);
        assertThat(c.duplicates()).isEmpty();
        // None of it was handed up (MemoryCluster would have thrown on a 100-byte payload it did not write)
        // and the transport still works.
        final long id = c.send(1, 2);
        c.pump();
        assertThat(c.times(2, id)).isEqualTo(1);
    }

    @Test
    void answersToPingsNeverSentDoNotBringALinkUp()
    {
        final MemoryCluster c = new MemoryCluster(2, 2, PassiveModeTest.config(LinkMode.PASSIVE));
        c.net.cutLink(0, true);
        c.run(300);
        final long now = c.clock.getAsLong();
        for (int i = 0; i < 5; i++)
        {
            c.net.inject(0, 1, 2, frame(1, LinkFrame.TYPE_PONG, 0, 0, 1, 1, now + 1_000_000_000L, 0));
            c.net.inject(0, 1, 2, frame(1, LinkFrame.TYPE_PONG, 0, 0, 1, 1, now - 5_000_000_000L, 0));
        }
        c.pump();
        assertThat(c.node(2).linkCounters().get(0, Counter.PONGS_RECEIVED)).isEqualTo(10);
        assertThat(c.node(2).linkState(1, 0)).isEqualTo(LinkState.DOWN);
        assertThat(c.eventsOf(2, 1, 0)).isEmpty();
    }

    @Test
    void datagramsTooLargeOrToStrangersAreRefusedWithTheReason()
    {
        final MemoryCluster c = new MemoryCluster(2, 2, PassiveModeTest.config(LinkMode.PASSIVE));
        final RedundantTransport one = c.node(1);
        assertThat(one.maxDatagramLength()).isEqualTo(MemoryNetwork.MAX_DATAGRAM - LinkFrame.HEADER_LENGTH);
        final UnsafeBuffer big = new UnsafeBuffer(new byte[MemoryNetwork.MAX_DATAGRAM]);
        assertThatThrownBy(() -> one.multicast(big, 0, one.maxDatagramLength() + 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds maxDatagramLength 1448");
        assertThatThrownBy(() -> one.unicast(5, big, 0, 10))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 5 is not a peer");
        assertThatThrownBy(() -> one.linkState(2, 2)).hasMessageContaining("no link 2 to node 2");
    }

    @Test
    void constructionNamesWhatIsWrong()
    {
        final MemoryNetwork net = new MemoryNetwork(2, 2);
        final RedundantConfig config = RedundantConfig.defaults();
        final List<Integer> ids = List.of(1, 2);
        assertThatThrownBy(() -> new RedundantTransport(List.of(net.endpoint(0, 1), net.endpoint(1, 2)), ids, config,
            LinkListener.NONE, System::nanoTime)).hasMessage("link 1 is bound for node 2 but link 0 for node 1");
        assertThatThrownBy(() -> new RedundantTransport(List.of(), ids, config, LinkListener.NONE, System::nanoTime))
            .hasMessageContaining("needs 1..8 links, not 0");
        final List<Transport> nine = new ArrayList<>(Collections.nCopies(9, net.endpoint(0, 1)));
        assertThatThrownBy(() -> new RedundantTransport(nine, ids, config, LinkListener.NONE, System::nanoTime))
            .hasMessageContaining("not 9");
        assertThatThrownBy(() -> new RedundantTransport(List.of(net.endpoint(0, 1)), List.of(2, 3), config,
            LinkListener.NONE, System::nanoTime)).hasMessageContaining("local node 1 is not in the node list [2, 3]");
        final Transport tiny = new Transport()
        {
            public int localNodeId()
            {
                return 1;
            }

            public int maxDatagramLength()
            {
                return 80;
            }

            public boolean unicast(final int n, final org.agrona.DirectBuffer b, final int o, final int l)
            {
                return true;
            }

            public boolean multicast(final org.agrona.DirectBuffer b, final int o, final int l)
            {
                return true;
            }

            public int poll(final org.ringmaster.totem.transport.DatagramHandler h, final int limit)
            {
                return 0;
            }

            public org.ringmaster.totem.transport.TransportCounters counters()
            {
                return new org.ringmaster.totem.transport.TransportCounters();
            }

            public void close()
            {
            }
        };
        assertThatThrownBy(() -> new RedundantTransport(List.of(net.endpoint(0, 1), tiny), ids, config,
            LinkListener.NONE, System::nanoTime)).hasMessageContaining("maxDatagramLength 80 leaves less than 64 bytes");
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheTransport()
    {
        final MemoryNetwork net = new MemoryNetwork(2, 1);
        final ManualClock clock = new ManualClock();
        final RedundantTransport one = new RedundantTransport(List.of(net.endpoint(0, 1)), List.of(1, 2),
            PassiveModeTest.config(LinkMode.PASSIVE), (n, l, s) -> { throw new IllegalStateException("boom"); }, clock);
        final RedundantTransport two = new RedundantTransport(List.of(net.endpoint(0, 2)), List.of(1, 2),
            PassiveModeTest.config(LinkMode.PASSIVE), LinkListener.NONE, clock);
        final int[] got = new int[1];
        for (int i = 0; i < 60; i++)
        {
            clock.advanceMs(10);
            one.poll((b, o, l) -> got[0]++, 16);
            two.poll((b, o, l) -> got[0]++, 16);
            one.poll((b, o, l) -> got[0]++, 16);
        }
        assertThat(one.linkState(2, 0)).isEqualTo(LinkState.UP);
        assertThat(two.multicast(new UnsafeBuffer(new byte[8]), 0, 8)).isTrue();
        one.poll((b, o, l) -> got[0]++, 16);
        assertThat(got[0]).isEqualTo(1);
    }
}
