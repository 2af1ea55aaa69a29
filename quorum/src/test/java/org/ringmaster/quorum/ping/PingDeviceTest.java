package org.ringmaster.quorum.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PingDeviceTest
{
    /** Answers from a table, synchronously. */
    static final class ScriptedProbe implements ReachabilityProbe
    {
        final Map<String, Boolean> up = new HashMap<>();
        int probes;

        @Override
        public void probe(final PingTarget target, final long timeoutMs, final Callback callback)
        {
            probes++;
            callback.done(up.getOrDefault(target.toString(), false), "scripted");
        }

        @Override
        public void close()
        {
        }
    }

    private static long ms(final long ms)
    {
        return ms * 1_000_000L;
    }

    @Test
    void castsWhileATargetAnswersAndWithdrawsAfterDeadping()
    {
        final ScriptedProbe probe = new ScriptedProbe();
        probe.up.put("10.0.0.254", true);
        final PingDevice d = new PingDevice(PingConfig.builder().ping("10.0.0.254").intervalMs(1000).deadPingMs(3000)
            .build(), probe);
        assertThat(d.castsVote()).isFalse();
        d.doWork(ms(0)); // probe started, result queued
        d.doWork(ms(1));
        assertThat(d.castsVote()).isTrue();
        assertThat(d.score()).isEqualTo(1);
        probe.up.put("10.0.0.254", false);
        long t = 1;
        // deadping runs from the sending of the last probe that was answered (t = 0)
        for (; t <= 2901; t += 100)
        {
            d.doWork(ms(t));
            assertThat(d.castsVote()).as("still within deadping at %d ms", t).isTrue();
        }
        for (; t <= 4200; t += 100)
        {
            d.doWork(ms(t));
        }
        assertThat(d.castsVote()).isFalse();
        assertThat(probe.probes).isBetween(4, 6); // once per interval, not once per duty cycle
    }

    /** Answers are queued and only handed over when the test says, like a slow probe thread. */
    static final class HeldProbe implements ReachabilityProbe
    {
        final java.util.List<Callback> held = new java.util.ArrayList<>();

        @Override
        public void probe(final PingTarget target, final long timeoutMs, final Callback callback)
        {
            held.add(callback);
        }

        void answerAll(final boolean ok)
        {
            held.forEach(c -> c.done(ok, "held"));
            held.clear();
        }

        @Override
        public void close()
        {
        }
    }

    @Test
    void anAnswerPickedUpLateCountsFromWhenItsProbeWasSentNotFromThePickUp()
    {
        final HeldProbe probe = new HeldProbe();
        final PingDevice d = new PingDevice(PingConfig.builder().ping("10.0.0.254").intervalMs(200).deadPingMs(900)
            .build(), probe);
        d.doWork(ms(0));
        probe.answerAll(true);
        d.doWork(ms(10));
        assertThat(d.castsVote()).isTrue();
        // The agent thread stalls 2 s; meanwhile the network splits. The probe sent at 200 ms had been
        // answered before the split, but its answer is only picked up after the stall.
        d.doWork(ms(200));
        probe.answerAll(true);
        d.doWork(ms(2200));
        assertThat(d.castsVote()).as("reachability proven at 200 ms has expired by 2200 ms (deadping 900)")
            .isFalse();
    }

    @Test
    void pingGroupNeedsAnyMemberAndRequiredCountsGroups()
    {
        final ScriptedProbe probe = new ScriptedProbe();
        final PingDevice d = new PingDevice(PingConfig.builder().pingGroup("gw-a", "gw-b").ping("dns").required(2)
            .multiplier(100).build(), probe);
        probe.up.put("gw-b", true);
        d.doWork(ms(0));
        d.doWork(ms(1));
        assertThat(d.groupsUp()).isEqualTo(1);
        assertThat(d.score()).isEqualTo(100);
        assertThat(d.castsVote()).isFalse();
        probe.up.put("dns", true);
        d.doWork(ms(1001));
        d.doWork(ms(1002));
        assertThat(d.groupsUp()).isEqualTo(2);
        assertThat(d.castsVote()).isTrue();
        assertThat(d.score()).isEqualTo(200);
    }

    @Test
    void configValidationNamesTheKey()
    {
        assertThatThrownBy(() -> PingConfig.builder().build()).hasMessageStartingWith("ping:");
        assertThatThrownBy(() -> PingConfig.builder().ping("a").required(2).build()).hasMessageStartingWith("ping.required:");
        assertThatThrownBy(() -> PingConfig.builder().ping("a").deadPingMs(10).intervalMs(100).build())
            .hasMessageStartingWith("ping.deadping:");
        assertThatThrownBy(() -> PingConfig.builder().ping("a").timeoutMs(0).build()).hasMessageStartingWith("ping.timeout:");
        assertThatThrownBy(() -> PingConfig.builder().ping("a").multiplier(0).build()).hasMessageStartingWith("ping.multiplier:");
        assertThatThrownBy(() -> PingConfig.builder().pingGroup()).hasMessageStartingWith("ping_group:");
        assertThatThrownBy(() -> PingTarget.parse("host:http")).hasMessage("ping: bad port in 'host:http'");
        assertThatThrownBy(() -> PingTarget.parse("host:70000")).hasMessageContaining("out of range");
        assertThat(PingTarget.parse("127.0.0.1")).isEqualTo(new PingTarget("127.0.0.1", 0));
        assertThat(PingTarget.parse("127.0.0.1:22")).isEqualTo(new PingTarget("127.0.0.1", 22));
        assertThat(PingTarget.parse("[::1]:80")).isEqualTo(new PingTarget("::1", 80));
        assertThat(PingTarget.parse("::1")).isEqualTo(new PingTarget("::1", 0));
        assertThat(new PingTarget("::1", 80).toString()).isEqualTo("[::1]:80");
    }

    @Test
    void realTcpProbeOnLoopbackFollowsTheListener() throws IOException
    {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        final int port = server.getLocalPort();
        final PingDevice d = new PingDevice(PingConfig.builder().ping("127.0.0.1:" + port).intervalMs(50)
            .timeoutMs(200).deadPingMs(300).build(), new TcpProbe());
        try
        {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                d.doWork(System.nanoTime());
                return d.castsVote();
            });
            server.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                d.doWork(System.nanoTime());
                return !d.castsVote();
            });
            assertThat(d.score()).isZero();
        }
        finally
        {
            server.close();
            d.close();
        }
    }

    @Test
    void realProbesOfLoopbackAddresses() throws Exception
    {
        final int deadPort;
        try (ServerSocket closed = new ServerSocket(0))
        {
            deadPort = closed.getLocalPort();
        }
        try (IcmpProbe icmp = new IcmpProbe(); TcpProbe tcp = new TcpProbe())
        {
            final java.util.concurrent.atomic.AtomicReferenceArray<Boolean> answers = new java.util.concurrent.atomic.AtomicReferenceArray<>(2);
            icmp.probe(new PingTarget("127.0.0.1", 0), 1000, (ok, detail) -> answers.set(0, ok));
            tcp.probe(new PingTarget("127.0.0.1", deadPort), 1000, (ok, detail) -> answers.set(1, ok));
            await().atMost(Duration.ofSeconds(10)).until(() -> answers.get(0) != null && answers.get(1) != null);
            assertThat(answers.get(0)).as("127.0.0.1 answers an echo").isTrue();
            assertThat(answers.get(1)).as("a refused TCP connection is not reachability").isFalse();
        }
    }

    @Test
    void detailsNameTheReachableAndUnreachableGroups()
    {
        final ScriptedProbe probe = new ScriptedProbe();
        final PingDevice d = new PingDevice(PingConfig.builder().pingGroup("gw-a", "gw-b").ping("dns").build(), probe);
        probe.up.put("dns", true);
        d.doWork(ms(0));
        d.doWork(ms(1));
        assertThat(d.details()).containsEntry("groups_up", "1/2").containsEntry("reachable", "dns")
            .containsEntry("unreachable", "gw-a|gw-b");
    }

    @Test
    void realUdpProbeNeedsAnAnswer() throws Exception
    {
        final java.net.DatagramSocket echo = new java.net.DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        final Thread responder = new Thread(() -> {
            final java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[64], 64);
            try
            {
                while (!echo.isClosed())
                {
                    echo.receive(p);
                    echo.send(new java.net.DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                }
            }
            catch (final IOException closed)
            {
                // the test is over
            }
        }, "udp-echo");
        final int silentPort;
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, InetAddress.getByName("127.0.0.1")))
        {
            silentPort = silent.getLocalPort();
        }
        responder.setDaemon(true);
        responder.start();
        try (UdpProbe udp = new UdpProbe())
        {
            final java.util.concurrent.atomic.AtomicReferenceArray<String> answers =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(2);
            udp.probe(new PingTarget("127.0.0.1", echo.getLocalPort()), 1000, (ok, detail) -> answers.set(0, ok + " " + detail));
            udp.probe(new PingTarget("127.0.0.1", silentPort), 300, (ok, detail) -> answers.set(1, ok + " " + detail));
            await().atMost(Duration.ofSeconds(10)).until(() -> answers.get(0) != null && answers.get(1) != null);
            assertThat(answers.get(0)).as("the echo answers").startsWith("true");
            assertThat(answers.get(1)).as("nobody listens: port unreachable or silence").startsWith("false");
        }
        finally
        {
            echo.close();
        }
    }
}
