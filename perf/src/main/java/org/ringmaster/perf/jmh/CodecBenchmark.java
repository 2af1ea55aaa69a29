package org.ringmaster.perf.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.ringmaster.totem.codec.DataMessageFlyweight;
import org.ringmaster.totem.codec.MessageType;
import org.ringmaster.totem.codec.TokenFlyweight;

/**
 * Encode and decode cost of the Totem wire messages. Run:
 * {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp perf/target/classes:$(cat perf/target/classpath.txt) org.openjdk.jmh.Main CodecBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CodecBenchmark
{
    private final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(1472));
    private final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(1472));
    private final DataMessageFlyweight data = new DataMessageFlyweight();
    private final TokenFlyweight token = new TokenFlyweight();
    private int packedLength;
    private int tokenLength;

    @Setup
    public void setup()
    {
        packedLength = encodePacked();
        tokenLength = encodeToken();
    }

    /** Twenty 64-byte messages packed into one datagram. */
    @Benchmark
    public int encodePacked()
    {
        data.wrap(frame, 0, 1472);
        data.putHeader(MessageType.DATA, 2, 8, 1);
        data.putBody(12345, 0);
        for (int i = 0; i < 20; i++)
        {
            data.appendEntry(payload, 0, 64, DataMessageFlyweight.FRAGMENT_WHOLE);
        }
        return data.encodedLength();
    }

    @Benchmark
    public long decodePacked()
    {
        data.wrap(frame, 0, packedLength);
        if (data.validate() != org.ringmaster.totem.codec.DecodeError.NONE)
        {
            throw new IllegalStateException();
        }
        long sum = 0;
        int entry = data.firstEntry();
        for (int i = 0, n = data.entryCount(); i < n; i++, entry = data.nextEntry(entry))
        {
            sum += data.entryLength(entry);
        }
        return sum + data.seq();
    }

    /** A token with ten retransmit requests. */
    @Benchmark
    public int encodeToken()
    {
        token.wrap(frame, 0, 1472);
        token.putHeader(MessageType.TOKEN, 2, 8, 1);
        token.tokenSeq(99).seq(1000).aru(990).aruId(3).fcc(17).backlog(40).retransFlg(false).rtrCount(10);
        for (int i = 0; i < 10; i++)
        {
            token.rtr(i, 8, 1, 991 + i);
        }
        return TokenFlyweight.lengthFor(10);
    }

    @Benchmark
    public long decodeToken()
    {
        token.wrap(frame, 0, tokenLength);
        if (token.validate() != org.ringmaster.totem.codec.DecodeError.NONE)
        {
            throw new IllegalStateException();
        }
        long sum = token.seq() + token.aru();
        for (int i = 0, n = token.rtrCount(); i < n; i++)
        {
            sum += token.rtrSeq(i);
        }
        return sum;
    }
}
