package org.ringmaster.totem.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
class CodecTest
{
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1472]);

    @Test
    void dataMessageRoundTripsWithPackedEntries()
    {
        final DataMessageFlyweight out = new DataMessageFlyweight().wrap(frame, 0, 1472);
        out.putHeader(MessageType.DATA, 7, 123_456_789_012L, 3);
        out.putBody(42, DataMessageFlyweight.FLAG_SAFE);
        final UnsafeBuffer a = new UnsafeBuffer("hello".getBytes());
        final UnsafeBuffer b = new UnsafeBuffer(new byte[300]);
        out.appendEntry(a, 0, 5, DataMessageFlyweight.FRAGMENT_WHOLE);
        out.appendEntry(b, 0, 300, DataMessageFlyweight.FRAGMENT_FIRST);
        final int length = out.encodedLength();

        final DataMessageFlyweight in = new DataMessageFlyweight().wrap(frame, 0, length);
        assertThat(in.validate()).isEqualTo(DecodeError.NONE);
        assertThat(in.type()).isEqualTo(MessageType.DATA);
        assertThat(in.sender()).isEqualTo(7);
        assertThat(in.ringSeq()).isEqualTo(123_456_789_012L);
        assertThat(in.ringRep()).isEqualTo(3);
        assertThat(in.seq()).isEqualTo(42);
        assertThat(in.isSafe()).isTrue();
        assertThat(in.entryCount()).isEqualTo(2);
        final int first = in.firstEntry();
        assertThat(in.entryLength(first)).isEqualTo(5);
        assertThat(in.entryFragmentFlags(first)).isEqualTo(DataMessageFlyweight.FRAGMENT_WHOLE);
        assertThat(in.buffer().getStringWithoutLengthAscii(in.entryPayloadOffset(first), 5)).isEqualTo("hello");
        final int second = in.nextEntry(first);
        assertThat(in.entryLength(second)).isEqualTo(300);
        assertThat(in.entryFragmentFlags(second)).isEqualTo(DataMessageFlyweight.FRAGMENT_FIRST);
        assertThat(in.nextEntry(second)).isEqualTo(length);
    }

    @Test
    void tokenRoundTripsWithRetransmitList()
    {
        final TokenFlyweight out = new TokenFlyweight().wrap(frame, 0, 1472);
        out.putHeader(MessageType.TOKEN, 2, 8, 1);
        out.tokenSeq(99).seq(1000).aru(990).aruId(3).fcc(17).backlog(40).retransFlg(true).rtrCount(2);
        out.rtr(0, 8, 1, 991).rtr(1, 8, 1, 995);

        final TokenFlyweight in = new TokenFlyweight().wrap(frame, 0, TokenFlyweight.lengthFor(2));
        assertThat(in.validate()).isEqualTo(DecodeError.NONE);
        assertThat(in.tokenSeq()).isEqualTo(99);
        assertThat(in.seq()).isEqualTo(1000);
        assertThat(in.aru()).isEqualTo(990);
        assertThat(in.aruId()).isEqualTo(3);
        assertThat(in.fcc()).isEqualTo(17);
        assertThat(in.backlog()).isEqualTo(40);
        assertThat(in.retransFlg()).isTrue();
        assertThat(in.rtrCount()).isEqualTo(2);
        assertThat(in.rtrRingSeq(1)).isEqualTo(8);
        assertThat(in.rtrRingRep(1)).isEqualTo(1);
        assertThat(in.rtrSeq(1)).isEqualTo(995);
    }

    @Test
    void everyMalformationHasItsTypedError()
    {
        final TokenFlyweight token = new TokenFlyweight().wrap(frame, 0, 1472);
        token.putHeader(MessageType.TOKEN, 2, 8, 1);
        token.tokenSeq(1).seq(10).aru(5).aruId(2).fcc(0).backlog(0).retransFlg(false).rtrCount(1).rtr(0, 8, 1, 6);
        final int length = TokenFlyweight.lengthFor(1);

        assertThat(new TokenFlyweight().wrap(frame, 0, 10).validate()).isEqualTo(DecodeError.TOO_SHORT);
        assertThat(new TokenFlyweight().wrap(frame, 0, length - 1).validate()).isEqualTo(DecodeError.BAD_LENGTH);
        assertThat(new TokenFlyweight().wrap(frame, 0, length + 1).validate()).isEqualTo(DecodeError.BAD_LENGTH);
        token.aru(11);
        assertThat(new TokenFlyweight().wrap(frame, 0, length).validate()).isEqualTo(DecodeError.BAD_FIELD);
        token.aru(5).rtrCount(5000);
        assertThat(new TokenFlyweight().wrap(frame, 0, length).validate()).isEqualTo(DecodeError.BAD_COUNT);
        token.rtrCount(1);
        frame.putByte(HeaderFlyweight.VERSION_OFFSET, (byte)9);
        assertThat(new TokenFlyweight().wrap(frame, 0, length).validate()).isEqualTo(DecodeError.BAD_VERSION);
        frame.putByte(HeaderFlyweight.VERSION_OFFSET, (byte)1);
        frame.putByte(HeaderFlyweight.TYPE_OFFSET, (byte)200);
        assertThat(new TokenFlyweight().wrap(frame, 0, length).validate()).isEqualTo(DecodeError.UNKNOWN_TYPE);
        frame.putShort(HeaderFlyweight.MAGIC_OFFSET, (short)0x1234);
        final TokenFlyweight bad = new TokenFlyweight().wrap(frame, 0, length);
        assertThat(bad.validate()).isEqualTo(DecodeError.BAD_MAGIC);
        assertThatThrownBy(bad::validateOrThrow).isInstanceOf(DecodeException.class)
            .extracting(e -> ((DecodeException)e).error()).isEqualTo(DecodeError.BAD_MAGIC);
    }

    @Test
    void dataEntriesMustFillTheDatagramExactly()
    {
        final DataMessageFlyweight out = new DataMessageFlyweight().wrap(frame, 0, 1472);
        out.putHeader(MessageType.DATA, 1, 4, 1).sender(1);
        out.putBody(1, 0);
        out.appendEntry(new UnsafeBuffer(new byte[10]), 0, 10, DataMessageFlyweight.FRAGMENT_WHOLE);
        final int length = out.encodedLength();
        assertThat(new DataMessageFlyweight().wrap(frame, 0, length + 3).validate()).isEqualTo(DecodeError.BAD_LENGTH);
        assertThat(new DataMessageFlyweight().wrap(frame, 0, length - 1).validate()).isEqualTo(DecodeError.BAD_LENGTH);
        frame.putShort(DataMessageFlyweight.COUNT_OFFSET, (short)2);
        assertThat(new DataMessageFlyweight().wrap(frame, 0, length).validate()).isEqualTo(DecodeError.BAD_COUNT);
        frame.putShort(DataMessageFlyweight.COUNT_OFFSET, (short)0);
        assertThat(new DataMessageFlyweight().wrap(frame, 0, length).validate()).isEqualTo(DecodeError.BAD_COUNT);
        frame.putShort(DataMessageFlyweight.COUNT_OFFSET, (short)1);
        frame.putLong(DataMessageFlyweight.SEQ_OFFSET, 0);
        assertThat(new DataMessageFlyweight().wrap(frame, 0, length).validate()).isEqualTo(DecodeError.BAD_FIELD);
    }

    @Test
    void messageTypeCodesAreStable()
    {
        assertThat(MessageType.fromCode(1)).isEqualTo(MessageType.DATA);
        assertThat(MessageType.fromCode(2)).isEqualTo(MessageType.TOKEN);
        assertThat(MessageType.fromCode(3)).isEqualTo(MessageType.JOIN);
        assertThat(MessageType.fromCode(4)).isEqualTo(MessageType.COMMIT_TOKEN);
        assertThat(MessageType.fromCode(5)).isEqualTo(MessageType.MERGE_DETECT);
        assertThat(MessageType.fromCode(0)).isNull();
        assertThat(MessageType.fromCode(-1)).isNull();
        assertThat(MessageType.fromCode(255)).isNull();
    }
}
