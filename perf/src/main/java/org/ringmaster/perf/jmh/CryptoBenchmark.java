package org.ringmaster.perf.jmh;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.CryptoConfig;
import org.ringmaster.totem.security.SecureTransport;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;

/**
 * Cost of the datagram security path: {@link SecureTransport} sealing one datagram (header, copy,
 * HMAC-SHA-256 or AES-256-GCM) and opening one (copy, checks, tag verification and decryption).
 * Run:
 * {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp perf/target/classes:$(cat perf/target/classpath.txt) org.openjdk.jmh.Main CryptoBenchmark}
 *
 * <p>{@code open} hands the same authentic frame in again and again: the whole cryptographic
 * check runs each time and only then does the replay window drop the copy (that order is
 * SecureTransport's), so the figure is the cost of opening a fresh datagram plus a replay-window
 * look-up; {@link #setup} proves the first copy is accepted and the repeats are counted as replays,
 * not as authentication failures. {@code openAlternating} opens datagrams of two senders in turn,
 * as a ring member does when more than one peer is sending.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CryptoBenchmark
{
    /** crypto_hash/crypto_cipher: HMAC-SHA-256 alone, or AES-256-GCM. */
    @Param({"sha256/none", "sha256/aes256"})
    public String crypto;

    /** Datagram bytes handed to the transport (1472 = a full datagram at netmtu 1500). */
    @Param({"64", "1024", "1472"})
    public int size;

    private Capture senderSide;
    private Capture otherSide;
    private Capture receiverSide;
    private Transport sender;
    private Transport other;
    private boolean turn;
    private Transport receiver;
    private UnsafeBuffer payload;
    private final DatagramHandler sink = (buffer, offset, length) -> { };

    @Setup
    public void setup()
    {
        final String[] parts = crypto.split("/");
        final CryptoConfig config = CryptoConfig.parse(parts[0], parts[1]);
        final AuthKey key = AuthKey.generate(new SecureRandom(), AuthKey.DEFAULT_BYTES);
        senderSide = new Capture(2);
        otherSide = new Capture(3);
        receiverSide = new Capture(1);
        sender = SecureTransport.wrap(senderSide, config, key, List.of(1, 2, 3), "jmh");
        other = SecureTransport.wrap(otherSide, config, key, List.of(1, 2, 3), "jmh");
        receiver = SecureTransport.wrap(receiverSide, config, key, List.of(1, 2, 3), "jmh");
        payload = new UnsafeBuffer(new byte[size]);
        new SecureRandom().nextBytes(payload.byteArray());
        sender.multicast(payload, 0, size);
        other.multicast(payload, 0, size);
        final int[] accepted = new int[1];
        for (final Capture from : new Capture[] {senderSide, otherSide})
        {
            accepted[0] = 0;
            receiverSide.incoming = from.frame;
            receiverSide.incomingLength = from.length;
            receiver.poll((b, o, l) -> accepted[0] = l, 1);
            receiverSide.incomingLength = from.length;
            receiver.poll(sink, 1);
            if (accepted[0] != size)
            {
                throw new IllegalStateException("open did not authenticate node " + from.localNodeId() + "'s frame");
            }
        }
        receiverSide.incoming = senderSide.frame;
        final TransportCounters counters = receiverSide.counters();
        if (counters.drops(TransportCounters.Drop.REPLAYED) != 2 || counters.drops(TransportCounters.Drop.AUTH_FAILED) != 0)
        {
            throw new IllegalStateException("repeats not dropped as replays: " +
                counters.drops(TransportCounters.Drop.AUTH_FAILED) + " auth failures");
        }
    }

    @Benchmark
    public int seal()
    {
        sender.multicast(payload, 0, size);
        return senderSide.length;
    }

    @Benchmark
    public int open()
    {
        receiverSide.incomingLength = senderSide.length;
        return receiver.poll(sink, 1) + receiverSide.incomingLength;
    }

    @Benchmark
    public int openAlternating()
    {
        final Capture from = turn ? otherSide : senderSide;
        turn = !turn;
        receiverSide.incoming = from.frame;
        receiverSide.incomingLength = from.length;
        return receiver.poll(sink, 1) + receiverSide.incomingLength;
    }

    /** A transport that keeps the last frame sent (without copying) and replays a frame on poll. */
    private static final class Capture implements Transport
    {
        private final int id;
        private final TransportCounters counters = new TransportCounters();
        DirectBuffer frame;
        int length;
        DirectBuffer incoming;
        int incomingLength = -1;

        Capture(final int id)
        {
            this.id = id;
        }

        @Override
        public int localNodeId()
        {
            return id;
        }

        @Override
        public int maxDatagramLength()
        {
            return 2048;
        }

        @Override
        public boolean unicast(final int nodeId, final DirectBuffer buffer, final int offset, final int len)
        {
            return multicast(buffer, offset, len);
        }

        @Override
        public boolean multicast(final DirectBuffer buffer, final int offset, final int len)
        {
            // SecureTransport seals into its own frame buffer at offset 0 and reuses it; keep a view.
            frame = buffer;
            length = len;
            return true;
        }

        @Override
        public int poll(final DatagramHandler handler, final int limit)
        {
            if (incomingLength < 0)
            {
                return 0;
            }
            final int len = incomingLength;
            incomingLength = -1;
            handler.onDatagram(incoming, 0, len);
            return 1;
        }

        @Override
        public TransportCounters counters()
        {
            return counters;
        }

        @Override
        public void close()
        {
        }
    }
}
