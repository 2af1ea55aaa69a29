package org.ringmaster.membership.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.membership.MembershipConfig;
import org.ringmaster.membership.TotemNode;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.TotemConfig;
import org.ringmaster.totem.sim.LinkFaults;
import org.ringmaster.totem.sim.SimNetwork;
import org.ringmaster.totem.sim.SimTransport;

/**
 * Two process groups sharing a real Totem ring (membership nodes on the simulated network, with
 * loss): messages and views agree, and a crashed node's members leave with NODE_DOWN.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GroupsOnTotemTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final class Recorder implements GroupListener
    {
        final List<String> messages = new ArrayList<>();
        GroupView view;

        @Override
        public void onView(final GroupHandle self, final GroupView view)
        {
            this.view = view;
        }

        @Override
        public void onMessage(final GroupHandle self, final GroupMember sender, final Guarantee guarantee,
            final DirectBuffer buffer, final int offset, final int length)
        {
            messages.add(sender.nodeId() + ":" + buffer.getStringWithoutLengthAscii(offset, length));
        }
    }

    @Test
    void twoGroupsShareARingAndSeeACrashAsNodeDown()
    {
        final SimNetwork network = new SimNetwork(11);
        network.faults(LinkFaults.lossy(0.03, 0.01));
        final int[] ids = {1, 2, 3};
        final Map<Integer, TotemNode> nodes = new HashMap<>();
        final Map<Integer, SimTransport> transports = new HashMap<>();
        final Map<Integer, GroupService> services = new HashMap<>();
        for (final int id : ids)
        {
            final TotemConfig totem = TotemConfig.builder().nodeId(id).members(ids).sendQueueBytes(1 << 20)
                .maxMessageSize(1 << 16).receiveBufferSlots(256).build();
            final SimTransport transport = network.endpoint(id, ids, 1472);
            final TotemNode node = new TotemNode(MembershipConfig.builder(totem).build(), transport);
            services.put(id, GroupService.attach(node));
            nodes.put(id, node);
            transports.put(id, transport);
            node.start(0);
        }
        final Map<String, Recorder> alpha = new HashMap<>();
        final Map<String, Recorder> beta = new HashMap<>();
        final Map<String, GroupHandle> handles = new HashMap<>();
        for (final int id : ids)
        {
            final Recorder a = new Recorder();
            alpha.put("n" + id, a);
            handles.put("alpha" + id, services.get(id).join("alpha", a));
            if (id != 1)
            {
                final Recorder b = new Recorder();
                beta.put("n" + id, b);
                handles.put("beta" + id, services.get(id).join("beta", b));
            }
        }
        long now = run(network, nodes, transports, 0, 2000 * MS);

        for (int i = 0; i < 30; i++)
        {
            final byte[] text = ("m" + i).getBytes();
            final int from = ids[i % 3];
            handles.get("alpha" + from).multicast(new UnsafeBuffer(text), 0, text.length, Guarantee.AGREED);
            if (from != 1)
            {
                handles.get("beta" + from).multicast(new UnsafeBuffer(text), 0, text.length, Guarantee.SAFE);
            }
        }
        now = run(network, nodes, transports, now, now + 2000 * MS);
        assertThat(alpha.get("n1").messages).hasSize(30).isEqualTo(alpha.get("n2").messages)
            .isEqualTo(alpha.get("n3").messages);
        assertThat(beta.get("n2").messages).hasSize(20).isEqualTo(beta.get("n3").messages);
        assertThat(alpha.get("n1").view.members()).hasSize(3);
        assertThat(beta.get("n2").view.members()).hasSize(2);

        // Node 3 crashes: both groups lose its member, as NODE_DOWN.
        transports.get(3).up(false);
        nodes.remove(3);
        run(network, nodes, transports, now, now + 6000 * MS);
        for (final String node : List.of("n1", "n2"))
        {
            assertThat(alpha.get(node).view.members()).extracting(GroupMember::nodeId).containsExactly(1, 2);
            assertThat(alpha.get(node).view.regular()).isTrue();
        }
        assertThat(beta.get("n2").view.members()).extracting(GroupMember::nodeId).containsExactly(2);
        assertThat(handles.get("alpha1").isLeader()).isTrue();
        assertThat(handles.get("beta2").isLeader()).isTrue();
        assertThat(alpha.get("n1").messages).isEqualTo(alpha.get("n2").messages);
    }

    private static long run(final SimNetwork network, final Map<Integer, TotemNode> nodes,
        final Map<Integer, SimTransport> transports, final long from, final long until)
    {
        long t = from;
        while (t < until)
        {
            t += 20_000;
            network.advance(t);
            network.deliverDueNow();
            for (final Map.Entry<Integer, TotemNode> e : nodes.entrySet())
            {
                if (transports.get(e.getKey()).isUp())
                {
                    e.getValue().doWork(t);
                }
            }
        }
        return t;
    }
}
