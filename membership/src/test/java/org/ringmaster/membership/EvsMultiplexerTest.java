package org.ringmaster.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.TotemConfig;
import org.ringmaster.totem.sim.SimNetwork;

/** Two users sharing one ring each see every configuration change and only their own messages. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class EvsMultiplexerTest
{
    private static final class Recorder implements EvsListener
    {
        final List<String> events = new ArrayList<>();

        @Override
        public void onMessage(final int sender, final Guarantee guarantee, final DirectBuffer buffer, final int offset,
            final int length)
        {
            events.add(sender + ":" + buffer.getStringWithoutLengthAscii(offset, length));
        }

        @Override
        public void onConfigurationChange(final ConfigurationChange change)
        {
            events.add(change.kind() + change.toString().substring(change.toString().indexOf(" members")));
        }
    }

    @Test
    void subChannelsShareTheOrderAndTheConfigurations()
    {
        final SimNetwork network = new SimNetwork(1);
        final int[] ids = {1, 2};
        final List<TotemNode> nodes = new ArrayList<>();
        final List<Recorder[]> recorders = new ArrayList<>();
        final List<EvsChannel[]> channels = new ArrayList<>();
        for (final int id : ids)
        {
            final TotemConfig totem = TotemConfig.builder().nodeId(id).members(ids).sendQueueBytes(1 << 20)
                .maxMessageSize(1 << 16).receiveBufferSlots(256).build();
            final TotemNode node = new TotemNode(MembershipConfig.builder(totem).build(), network.endpoint(id, ids, 1472));
            final EvsMultiplexer mux = new EvsMultiplexer(node);
            final Recorder a = new Recorder();
            final Recorder b = new Recorder();
            final EvsChannel ca = mux.channel(7);
            final EvsChannel cb = mux.channel(9);
            ca.listener(a);
            cb.listener(b);
            assertThatThrownBy(() -> mux.channel(7)).hasMessageContaining("taken");
            nodes.add(node);
            recorders.add(new Recorder[] {a, b});
            channels.add(new EvsChannel[] {ca, cb});
        }
        nodes.forEach(n -> n.start(0));
        channels.get(0)[0].offer(new UnsafeBuffer("to-a".getBytes()), 0, 4, Guarantee.AGREED);
        channels.get(1)[1].offer(new UnsafeBuffer("to-b".getBytes()), 0, 4, Guarantee.SAFE);
        for (long t = 0; t < TimeUnit.SECONDS.toNanos(2); t += 50_000)
        {
            network.advance(t);
            network.deliverDueNow();
            for (final TotemNode n : nodes)
            {
                n.doWork(t);
            }
        }
        for (final Recorder[] r : recorders)
        {
            assertThat(r[0].events).contains("1:to-a").doesNotContain("2:to-b");
            assertThat(r[1].events).contains("2:to-b").doesNotContain("1:to-a");
            assertThat(r[0].events.stream().filter(e -> e.startsWith("REGULAR")).count()).isGreaterThanOrEqualTo(2);
            assertThat(r[0].events.stream().filter(e -> !e.contains(":to-")).toList())
                .isEqualTo(r[1].events.stream().filter(e -> !e.contains(":to-")).toList());
        }
        // Both nodes end in the same regular configuration and deliver the same messages.
        assertThat(recorders.get(0)[0].events.get(recorders.get(0)[0].events.size() - 1))
            .isEqualTo(recorders.get(1)[0].events.get(recorders.get(1)[0].events.size() - 1));
    }
}
