package org.ringmaster.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.membership.sim.SimCluster;
import org.ringmaster.totem.TotemConfig;
import org.ringmaster.totem.codec.DecodeError;
import org.ringmaster.totem.codec.MessageType;
import org.ringmaster.totem.sim.LinkFaults;

/** Codecs, node sets, the ring seq store, configuration validation, fuzzing and metrics. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MembershipPartsTest
{
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void joinRoundTripsAndRejectsMalformations()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1472]);
        final JoinFlyweight join = new JoinFlyweight().wrap(frame, 0, 1472);
        join.putHeader(MessageType.JOIN, 2, 12, 1);
        final int length = join.putBody(16, NodeSet.of(1, 2, 3), NodeSet.of(3));
        final JoinFlyweight in = new JoinFlyweight().wrap(frame, 0, length);
        assertThat(in.validate()).isEqualTo(DecodeError.NONE);
        assertThat(in.ringSeqSeen()).isEqualTo(16);
        assertThat(in.procCount()).isEqualTo(3);
        assertThat(in.failCount()).isEqualTo(1);
        assertThat(in.proc(2)).isEqualTo(3);
        assertThat(in.fail(0)).isEqualTo(3);
        assertThat(new JoinFlyweight().wrap(frame, 0, length - 1).validate()).isEqualTo(DecodeError.BAD_LENGTH);
        frame.putShort(JoinFlyweight.FAIL_COUNT_OFFSET, (short)4);
        assertThat(new JoinFlyweight().wrap(frame, 0, length).validate()).isEqualTo(DecodeError.BAD_COUNT);
    }

    @Test
    void commitTokenRoundTripsAndRejectsUnsortedMembers()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1472]);
        final int length = CommitTokenFlyweight.lengthFor(3);
        final CommitTokenFlyweight token = new CommitTokenFlyweight().wrap(frame, 0, length);
        token.putHeader(MessageType.COMMIT_TOKEN, 1, 20, 1);
        token.tokenSeq(5).membIndex(1).members(NodeSet.of(1, 4, 9));
        token.entry(1, 12, 1, 100, 98, true);
        final CommitTokenFlyweight in = new CommitTokenFlyweight().wrap(frame, 0, length);
        assertThat(in.validate()).isEqualTo(DecodeError.NONE);
        assertThat(in.indexOf(4)).isEqualTo(1);
        assertThat(in.oldRingSeq(1)).isEqualTo(12);
        assertThat(in.oldRingAru(1)).isEqualTo(100);
        assertThat(in.highDelivered(1)).isEqualTo(98);
        assertThat(in.received(1)).isTrue();
        frame.putInt(CommitTokenFlyweight.ENTRIES_OFFSET + CommitTokenFlyweight.ENTRY_LENGTH * 2, 2);
        assertThat(new CommitTokenFlyweight().wrap(frame, 0, length).validate()).isEqualTo(DecodeError.BAD_FIELD);
    }

    @Test
    void nodeSetsCompareAsSets()
    {
        final NodeSet a = NodeSet.of(3, 1, 2);
        final NodeSet b = NodeSet.of(1, 2, 3, 3);
        assertThat(a.sameAs(b)).isTrue();
        assertThat(a.toArray()).containsExactly(1, 2, 3);
        assertThat(a.minus(NodeSet.of(2), new NodeSet()).toArray()).containsExactly(1, 3);
        assertThat(a.remove(2)).isTrue();
        assertThat(a.sameAs(b)).isFalse();
        for (int i = 100; i > 0; i--)
        {
            a.add(i);
        }
        assertThat(a.size()).isEqualTo(100);
    }

    @Test
    void ringSeqStoreSurvivesRestartsAndNamesABrokenFile(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("state/ringseq");
        final RingSeqStore store = RingSeqStore.file(file);
        assertThat(store.load()).isZero();
        store.store(44);
        assertThat(RingSeqStore.file(file).load()).isEqualTo(44);
        Files.writeString(file, "garbage");
        assertThatThrownBy(() -> RingSeqStore.file(file).load()).hasMessageContaining(file.toString())
            .hasMessageContaining("not a ring seq");
    }

    @Test
    void configurationErrorsNameTheKey()
    {
        final TotemConfig totem = TotemConfig.builder().nodeId(1).members(1, 2).tokenMs(1000).build();
        assertThatThrownBy(() -> MembershipConfig.builder(totem).consensusMs(500).build())
            .hasMessageContaining("totem.consensus = 500").hasMessageContaining("totem.token (1000)");
        assertThatThrownBy(() -> MembershipConfig.builder(totem).joinMs(0).build()).hasMessageContaining("totem.join = 0");
        assertThat(MembershipConfig.builder(totem).build().consensusNs()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1200));
        assertThatThrownBy(() -> MembershipConfig.builder(totem).sendJoinMs(5000).build())
            .hasMessageContaining("totem.send_join = 5000");
        assertThat(MembershipConfig.builder(totem).sendJoinMs(80).build().sendJoinNs())
            .isEqualTo(TimeUnit.MILLISECONDS.toNanos(80));
    }

    @Test
    void aNodeSurvivesFuzzedMembershipTrafficAndStillFormsTheRing()
    {
        final SimCluster cluster = new SimCluster(3, 3);
        cluster.faults(LinkFaults.PERFECT);
        for (final int id : cluster.ids())
        {
            cluster.start(id);
        }
        cluster.runUntil(S);
        final SplittableRandom random = new SplittableRandom(9);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        for (int i = 0; i < 100_000; i++)
        {
            final int length = 20 + random.nextInt(200);
            for (int b = 0; b < length; b++)
            {
                frame.putByte(b, (byte)random.nextInt(256));
            }
            // A plausible header so that the membership decoders are reached.
            new org.ringmaster.totem.codec.HeaderFlyweight().wrap(frame, 0, length)
                .putHeader(MessageType.fromCode(3 + random.nextInt(5)), 1 + random.nextInt(3), random.nextInt(20),
                    1 + random.nextInt(3));
            final byte[] bytes = new byte[length];
            frame.getBytes(0, bytes);
            cluster.at(S + i * 10_000L, "fuzz", c -> c.injectInto(2, bytes));
        }
        cluster.runUntil(6 * S);
        for (final int id : cluster.ids())
        {
            assertThat(cluster.node(id).members()).as("node %d after fuzzing", id).containsExactly(1, 2, 3);
            assertThat(cluster.node(id).state()).isEqualTo(TotemNode.State.OPERATIONAL);
        }
    }

    @Test
    void metricsArePublished()
    {
        final SimCluster cluster = new SimCluster(4, 3);
        for (final int id : cluster.ids())
        {
            cluster.start(id);
        }
        cluster.runUntil(S);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new MembershipMetrics(cluster.node(2)).bindTo(registry);
        assertThat(registry.get("ringmaster.membership.members").gauge().value()).isEqualTo(3.0);
        assertThat(registry.get("ringmaster.membership.state").gauge().value()).isZero();
        assertThat(registry.get("ringmaster.membership.installs").functionCounter().count()).isPositive();
    }
}
