package org.ringmaster.totem.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.totem.transport.LoopbackPorts;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters.Drop;
import org.ringmaster.totem.transport.UdpConfig;
import org.ringmaster.totem.transport.UdpuTransport;

/**
 * SecureTransport over real udpu sockets on 127.0.0.1/2/3: sealed traffic flows, and an attacker
 * on node 3's address who replays, tampers with and forges frames is dropped and counted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecureUdpuTest
{
    private static final Duration DELIVERY = Duration.ofSeconds(10);

    @ParameterizedTest
    @ValueSource(strings = {"none", "aes256"})
    void sealedTrafficFlowsAndAttacksFromAMemberAddressAreCounted(final String cipher) throws Exception
    {
        final CryptoConfig crypto = CryptoConfig.parse("sha256", cipher);
        final int port = LoopbackPorts.samePortOn("127.0.0.1", "127.0.0.2", "127.0.0.3");
        final Map<Integer, InetSocketAddress> nodes = new TreeMap<>();
        for (int id = 1; id <= 3; id++)
        {
            nodes.put(id, new InetSocketAddress("127.0.0." + id, port));
        }
        try (Transport a = SecureTransport.wrap(new UdpuTransport(config(1, nodes)), crypto,
                SecureTransportTest.KEY, nodes.keySet(), "udp-test");
            Transport b = SecureTransport.wrap(new UdpuTransport(config(2, nodes)), crypto,
                SecureTransportTest.KEY, nodes.keySet(), "udp-test");
            DatagramChannel attacker = DatagramChannel.open().bind(nodes.get(3)))
        {
            assertThat(a.maxDatagramLength()).isEqualTo(1472 - (cipher.equals("none") ? 56 : 40));
            final byte[] hello = "hello over a sealed ring".getBytes(StandardCharsets.US_ASCII);
            assertThat(a.multicast(new UnsafeBuffer(hello), 0, hello.length)).isTrue();

            final List<String> atB = new ArrayList<>();
            await().atMost(DELIVERY).pollInSameThread().until(() ->
            {
                b.poll((buf, o, l) -> atB.add(buf.getStringWithoutLengthAscii(o, l)), 10);
                return !atB.isEmpty();
            });
            assertThat(atB).containsExactly("hello over a sealed ring");

            // The attacker (on node 3's address) captured the same multicast.
            final ByteBuffer captured = ByteBuffer.allocate(2048);
            await().atMost(DELIVERY).pollInSameThread().until(() -> attacker.receive(captured) != null);
            captured.flip();
            final byte[] frame = new byte[captured.remaining()];
            captured.get(frame);
            assertThat(new String(frame, StandardCharsets.ISO_8859_1).contains("hello over"))
                .isEqualTo(cipher.equals("none"));

            attacker.send(ByteBuffer.wrap(frame), nodes.get(2));                 // replay
            final byte[] tampered = frame.clone();
            tampered[tampered.length - 20] ^= 1;
            attacker.send(ByteBuffer.wrap(tampered), nodes.get(2));              // tamper
            attacker.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), nodes.get(2));  // too short
            attacker.send(ByteBuffer.wrap(new byte[200]), nodes.get(2));         // garbage
            try (DatagramChannel stranger = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.9", 0)))
            {
                stranger.send(ByteBuffer.wrap(frame), nodes.get(2));             // not a member address
            }
            await().atMost(DELIVERY).pollInSameThread().until(() ->
            {
                b.poll((buf, o, l) -> atB.add("unexpected"), 10);
                return b.counters().receivedCount() == 6;
            });
            assertThat(atB).containsExactly("hello over a sealed ring");
            assertThat(b.counters().drops(Drop.REPLAYED)).isEqualTo(1);
            assertThat(b.counters().drops(Drop.AUTH_FAILED)).isEqualTo(2);
            assertThat(b.counters().drops(Drop.BAD_LENGTH)).isEqualTo(1);
            assertThat(b.counters().drops(Drop.UNKNOWN_SENDER)).isEqualTo(1);
        }
    }

    private static UdpConfig config(final int id, final Map<Integer, InetSocketAddress> nodes)
    {
        return UdpConfig.builder().localNodeId(id).nodes(nodes).build();
    }
}
