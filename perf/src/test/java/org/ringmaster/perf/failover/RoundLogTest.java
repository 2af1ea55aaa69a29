package org.ringmaster.perf.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RoundLogTest
{
    private static final int[] ALL = {1, 2, 3};
    private static final int[] SURVIVORS = {1, 2};

    /** Three nodes start alone, meet in ring 12/1 at 100..120, node 3 dies at 1000. */
    private static RoundLog formed()
    {
        final RoundLog log = new RoundLog();
        for (final int n : ALL)
        {
            log.accept(n, "CONF " + n + " R " + (4 + n) + " " + n + " START " + n);
            log.accept(n, "CONF " + (100 + 10 * (n - 1)) + " T 12 1 MERGE " + n);
            log.accept(n, "CONF " + (101 + 10 * (n - 1)) + " R 12 1 MERGE 1,2,3");
        }
        return log;
    }

    @Test
    void convergesOnlyWhenEveryNodeIsInTheSameFullRing()
    {
        final RoundLog log = new RoundLog();
        log.accept(1, "CONF 5 R 8 1 MERGE 1,2");
        log.accept(2, "CONF 6 R 8 1 MERGE 1,2");
        log.accept(3, "CONF 7 R 7 3 START 3");
        assertThat(log.converged(ALL)).isNull();

        final RoundLog full = formed();
        final RoundLog.Converged c = full.converged(ALL);
        assertThat(c).isNotNull();
        assertThat(c.ringSeq()).isEqualTo(12);
        assertThat(c.rep()).isEqualTo(1);
        assertThat(c.atNs()).isEqualTo(121);
    }

    @Test
    void detectionIsFromTheEventToTheSurvivorsRegularConfiguration()
    {
        final RoundLog log = formed();
        final RoundLog.Converged c = log.converged(ALL);
        assertThat(log.reformed(SURVIVORS, 1000)).isFalse();
        log.accept(1, "CONF 1900 T 16 1 TOKEN_LOSS 1,2");
        log.accept(1, "CONF 1950 R 16 1 TOKEN_LOSS 1,2");
        assertThat(log.reformed(SURVIVORS, 1000)).isFalse();
        log.accept(2, "CONF 1960 T 16 1 TOKEN_LOSS 1,2");
        log.accept(2, "CONF 1970 R 16 1 TOKEN_LOSS 1,2");
        assertThat(log.reformed(SURVIVORS, 1000)).isTrue();

        final List<RoundLog.Survivor> figures = log.survivors(c, SURVIVORS, 1000, 3);
        assertThat(figures).extracting(RoundLog.Survivor::detectNs).containsExactly(950L, 970L);
        assertThat(figures).extracting(RoundLog.Survivor::transitionalNs).containsExactly(900L, 960L);
        assertThat(figures).extracting(RoundLog.Survivor::changesAfter).containsExactly(2, 2);
        assertThat(figures).extracting(RoundLog.Survivor::spurious).containsExactly(0, 0);
        assertThat(figures).extracting(RoundLog.Survivor::spuriousMemberChanges).containsExactly(0, 0);
        assertThat(figures.get(0).members()).containsExactly(1, 2);
        assertThat(log.afterDetail(1, 1000)).isEqualTo("0ms:T:TOKEN_LOSS:[1,2] 0ms:R:TOKEN_LOSS:[1,2]");
    }

    @Test
    void changesBetweenConvergenceAndTheEventAreSpurious()
    {
        final RoundLog log = formed();
        final RoundLog.Converged c = log.converged(ALL);
        // Node 2 drops out and comes back while nothing was killed: four changes at 1 and 2, two at 3.
        log.accept(1, "CONF 500 T 16 1 TOKEN_LOSS 1");
        log.accept(1, "CONF 510 R 16 1 TOKEN_LOSS 1,3");
        log.accept(3, "CONF 520 T 16 1 TOKEN_LOSS 3");
        log.accept(3, "CONF 530 R 16 1 TOKEN_LOSS 1,3");
        log.accept(1, "CONF 700 T 20 1 MERGE 1");
        log.accept(1, "CONF 710 R 20 1 MERGE 1,2,3");
        log.accept(2, "CONF 720 T 20 1 MERGE 2");
        log.accept(2, "CONF 730 R 20 1 MERGE 1,2,3");
        assertThat(log.spurious(1, c, 1000)).isEqualTo(4);
        assertThat(log.spurious(2, c, 1000)).isEqualTo(2);
        assertThat(log.spurious(3, c, 1000)).isEqualTo(2);
        // Node 1 saw [1,3] (a member change), node 2 only its own return to [1,2,3].
        assertThat(log.spuriousMemberChanges(1, c, 1000)).isEqualTo(1);
        assertThat(log.spuriousMemberChanges(2, c, 1000)).isZero();
        // Only changes before the event count.
        assertThat(log.spurious(1, c, 600)).isEqualTo(2);
        assertThat(log.spuriousDetail(2, c, 1000)).isEqualTo("0ms:T:MERGE:[2] 0ms:R:MERGE:[1,2,3]");

        final RoundLog ms = new RoundLog();
        ms.accept(1, "CONF 1000000000 R 8 1 MERGE 1,2");
        ms.accept(2, "CONF 1000000000 R 8 1 MERGE 1,2");
        final RoundLog.Converged first = ms.converged(new int[] {1, 2});
        ms.accept(1, "CONF 1599000000 T 12 1 TOKEN_LOSS 1");
        ms.accept(1, "CONF 1609000000 R 12 1 MERGE 1,2");
        assertThat(ms.spuriousDetail(1, first, 2_000_000_000L))
            .isEqualTo("599ms:T:TOKEN_LOSS:[1] 609ms:R:MERGE:[1,2]");
    }

    @Test
    void rateIsMeasuredInsideTheQuietWindow()
    {
        final RoundLog log = formed();
        log.accept(1, "RATE 50 0 0 900000000");
        log.accept(1, "RATE 1000000000 1000 10 2000000");
        log.accept(1, "RATE 2000000000 3000 20 150000000");
        log.accept(1, "RATE 3000000000 9000 30 60000000");
        log.accept(1, "RATE 4000000000 9900 40 700000000");
        assertThat(log.rate(1, 500_000_000L, 2_500_000_000L)).isEqualTo(2000.0);
        assertThat(log.rate(2, 0, 2_500_000_000L)).isZero();
        // The sample at 50 ns is before the window, the one at 3 s covers its end, the one at 4 s is after it.
        assertThat(log.maxStall(1, 500_000_000L, 2_500_000_000L)).isEqualTo(150_000_000L);
        assertThat(log.maxStall(1, 500_000_000L, 1_500_000_000L)).isEqualTo(150_000_000L);
        assertThat(log.maxStall(2, 0, 1)).isZero();
    }

    @Test
    void leaveTimeIsReportedWithTheSurvivors()
    {
        final RoundLog log = formed();
        final RoundLog.Converged c = log.converged(ALL);
        assertThat(log.accept(3, "LEAVE 1040")).isTrue();
        log.accept(1, "CONF 1100 R 16 1 LEAVE 1,2");
        final RoundLog.Survivor s = log.survivors(c, SURVIVORS, 1000, 3).get(0);
        assertThat(s.leaveCalledNs()).isEqualTo(1040);
        assertThat(s.reason()).isEqualTo("LEAVE");
    }

    @Test
    void otherLinesAreNotTakenAndMalformedOnesNameTheNodeAndLine()
    {
        final RoundLog log = new RoundLog();
        assertThat(log.accept(1, "Exception in thread main")).isFalse();
        assertThat(log.accept(1, "")).isFalse();
        assertThatThrownBy(() -> log.accept(2, "CONF 12 X 4 1 START 1"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 2").hasMessageContaining("CONF 12 X");
        assertThatThrownBy(() -> log.accept(3, "RATE abc 1 2 3"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 3").hasMessageContaining("RATE abc");
        assertThatThrownBy(() -> log.accept(1, "CONF 1 R 4 1 START 1,x"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 1");
        assertThatThrownBy(() -> log.accept(1, "RATE 1 2 3"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_gap_ns");
        assertThat(log.changes(1)).isEmpty();
    }
}
