package org.ringmaster.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QuorumCodecTest
{
    private final UnsafeBuffer buf = new UnsafeBuffer(new byte[512]);
    private final QuorumCodec.Header h = new QuorumCodec.Header();

    @Test
    void nodeInfoRoundTrip() throws Exception
    {
        final int len = QuorumCodec.encodeNodeInfo(buf, 0, new RingId(40, 3), 7, 4, 9,
            QuorumCodec.FLAG_WAITING | QuorumCodec.FLAG_LEAVING, new RingId(36, 1), new int[] {1, 3, 7});
        QuorumCodec.decodeHeader(buf, 0, len, h);
        assertThat(h.type).isEqualTo(QuorumCodec.Type.NODE_INFO);
        assertThat(h.ring).isEqualTo(new RingId(40, 3));
        assertThat(h.sender).isEqualTo(7);
        assertThat(QuorumCodec.intAt(buf, h, 0)).isEqualTo(4);
        assertThat(QuorumCodec.intAt(buf, h, 1)).isEqualTo(9);
        assertThat(QuorumCodec.intAt(buf, h, 2)).isEqualTo(QuorumCodec.FLAG_WAITING | QuorumCodec.FLAG_LEAVING);
        assertThat(QuorumCodec.nodeInfoLastQuorateRing(buf, h)).isEqualTo(new RingId(36, 1));
        assertThat(QuorumCodec.nodeInfoLastQuorate(buf, h)).containsExactly(1, 3, 7);
    }

    @Test
    void intMessagesRoundTrip() throws Exception
    {
        for (final QuorumCodec.Type t : QuorumCodec.Type.values())
        {
            if (t == QuorumCodec.Type.NODE_INFO)
            {
                continue;
            }
            final int[] values = t == QuorumCodec.Type.SET_VOTES ? new int[] {5, 2} :
                t == QuorumCodec.Type.SET_EXPECTED || t == QuorumCodec.Type.DEVICE_VOTE ? new int[] {11} : new int[0];
            final int len = QuorumCodec.encodeInts(buf, 8, t, new RingId(4, 1), 2, values);
            QuorumCodec.decodeHeader(buf, 8, len, h);
            assertThat(h.type).isEqualTo(t);
            for (int i = 0; i < values.length; i++)
            {
                assertThat(QuorumCodec.intAt(buf, h, i)).isEqualTo(values[i]);
            }
        }
    }

    @Test
    void malformedMessagesAreNamed()
    {
        final int len = QuorumCodec.encodeInts(buf, 0, QuorumCodec.Type.SET_VOTES, new RingId(4, 1), 2, 5, 2);
        assertThatThrownBy(() -> QuorumCodec.decodeHeader(buf, 0, 10, h)).hasMessageContaining("shorter than the header");
        assertThatThrownBy(() -> QuorumCodec.decodeHeader(buf, 0, len - 4, h)).hasMessageContaining("does not match");
        buf.putByte(3, (byte)99);
        assertThatThrownBy(() -> QuorumCodec.decodeHeader(buf, 0, len, h)).hasMessageContaining("unknown type 99");
        buf.putByte(3, (byte)QuorumCodec.Type.SET_EXPECTED.code);
        assertThatThrownBy(() -> QuorumCodec.decodeHeader(buf, 0, len, h)).hasMessageContaining("SET_EXPECTED body must be 4");
        buf.putByte(2, (byte)2);
        assertThatThrownBy(() -> QuorumCodec.decodeHeader(buf, 0, len, h)).hasMessageContaining("unsupported version 2");
        buf.putShort(0, (short)0);
        assertThatThrownBy(() -> QuorumCodec.decodeHeader(buf, 0, len, h)).hasMessageContaining("bad magic");
        final int ni = QuorumCodec.encodeNodeInfo(buf, 0, new RingId(4, 1), 1, 1, 1, 0, RingId.NONE, new int[] {1});
        buf.putInt(QuorumCodec.HEADER_LENGTH + 24, 1_000_000, QuorumCodec.ORDER);
        assertThatThrownBy(() -> QuorumCodec.decodeHeader(buf, 0, ni, h)).hasMessageContaining("last-quorate count 1000000");
        QuorumCodec.encodeInts(buf, 0, QuorumCodec.Type.LEAVING, new RingId(4, 1), 0);
        assertThatThrownBy(() -> QuorumCodec.decodeHeader(buf, 0, QuorumCodec.HEADER_LENGTH, h))
            .hasMessageContaining("sender node id 0");
    }
}
