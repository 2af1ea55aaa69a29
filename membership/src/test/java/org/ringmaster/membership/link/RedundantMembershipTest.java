package org.ringmaster.membership.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.membership.MembershipConfig;
import org.ringmaster.membership.TotemNode;
import org.ringmaster.membership.TotemNodeAgent;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.TotemConfig;

/**
 * Three membership nodes over two real UDP links each: losing link 0 everywhere, under traffic,
 * changes no membership.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedundantMembershipTest
{
    @Test
    void losingOneOfTwoLinksChangesNoMembership() throws Exception
    {
        final LoopbackLinks net = new LoopbackLinks(3, 2);
        final RedundantConfig links = RedundantConfig.builder().mode(LinkMode.PASSIVE).pingIntervalMs(50)
            .pingTimeoutMs(200).build();
        final List<AgentRunner> runners = new ArrayList<>();
        final List<TotemNode> nodes = new ArrayList<>();
        final List<CuttableTransport> link0 = new ArrayList<>();
        final List<List<ConfigurationChange>> changes = new ArrayList<>();
        final int[] ids = {1, 2, 3};
        try
        {
            for (final int id : ids)
            {
                final CuttableTransport first = new CuttableTransport(net.open(0, id));
                link0.add(first);
                final RedundantTransport transport = new RedundantTransport(List.of(first, net.open(1, id)),
                    List.of(1, 2, 3), links, (node, link, state) -> { }, System::nanoTime);
                final TotemConfig totem = TotemConfig.builder().nodeId(id).members(ids).tokenMs(2000).build();
                final TotemNode node = new TotemNode(MembershipConfig.builder(totem).build(), transport);
                final List<ConfigurationChange> log = new CopyOnWriteArrayList<>();
                node.listener(new EvsListener()
                {
                    @Override
                    public void onMessage(final int sender, final Guarantee guarantee, final DirectBuffer buffer,
                        final int offset, final int length)
                    {
                    }

                    @Override
                    public void onConfigurationChange(final ConfigurationChange change)
                    {
                        log.add(change);
                    }
                });
                changes.add(log);
                nodes.add(node);
                runners.add(new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 200_000), Throwable::printStackTrace,
                    null, new TotemNodeAgent(node, transport)));
            }
            runners.forEach(AgentRunner::startOnThread);
            await().atMost(Duration.ofSeconds(30)).until(() -> changes.stream().allMatch(
                log -> !log.isEmpty() && log.get(log.size() - 1).isRegular() && log.get(log.size() - 1).members().length == 3));
            final int[] before = changes.stream().mapToInt(List::size).toArray();

            final UnsafeBuffer message = new UnsafeBuffer(new byte[200]);
            for (int i = 0; i < 1000; i++)
            {
                nodes.get(i % 3).offer(message, 0, 200, Guarantee.AGREED);
            }
            link0.forEach(t -> t.cut = true);
            // Token timeouts pass with link 0 gone: nobody may see a configuration change. (Token 2 s:
            // a loaded 2-core machine must not starve a node into a real token loss.)
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                .until(() -> changes.stream().mapToInt(List::size).boxed().toList().equals(
                    java.util.Arrays.stream(before).boxed().toList()));
            for (final TotemNode node : nodes)
            {
                assertThat(node.members()).containsExactly(1, 2, 3);
                assertThat(node.state()).isEqualTo(TotemNode.State.OPERATIONAL);
            }
        }
        finally
        {
            // Closing an agent announces the leave and closes the node's transport and its links.
            runners.forEach(AgentRunner::close);
        }
    }
}
