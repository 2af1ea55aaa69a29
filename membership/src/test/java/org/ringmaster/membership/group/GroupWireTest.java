package org.ringmaster.membership.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.membership.group.GroupCounters.Counter;
import org.ringmaster.totem.Guarantee;
import org.ringmaster.totem.codec.DecodeError;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
class GroupWireTest
{
    private static final byte[] NAME = "web".getBytes(StandardCharsets.UTF_8);

    @Test
    void joinLeaveAndDataRoundTrip()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final GroupMessageFlyweight f = new GroupMessageFlyweight();
        for (final int type : new int[] {GroupMessageFlyweight.TYPE_JOIN, GroupMessageFlyweight.TYPE_LEAVE})
        {
            final int length = f.wrap(buffer, 0, 64).encode(type, 42, NAME);
            assertThat(f.wrap(buffer, 0, length).validate()).isEqualTo(DecodeError.NONE);
            assertThat(f.type()).isEqualTo(type);
            assertThat(f.memberId()).isEqualTo(42);
            assertThat(f.name()).isEqualTo("web");
        }
        final int payloadOffset = f.wrap(buffer, 0, 64).encode(GroupMessageFlyweight.TYPE_DATA, 7, NAME);
        buffer.putStringWithoutLengthAscii(payloadOffset, "hello");
        assertThat(f.wrap(buffer, 0, payloadOffset + 5).validate()).isEqualTo(DecodeError.NONE);
        assertThat(f.payloadLength()).isEqualTo(5);
        assertThat(buffer.getStringWithoutLengthAscii(f.payloadOffset(), f.payloadLength())).isEqualTo("hello");
        assertThat(f.wrap(buffer, 0, payloadOffset).validate()).as("empty payload").isEqualTo(DecodeError.NONE);
    }

    @Test
    void syncRoundTripsAndChunksAtTheGivenLength()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[40]);
        final SyncMessageFlyweight f = new SyncMessageFlyweight();
        f.wrap(buffer, 0, 40).start(9, 3);
        assertThat(f.addEntry(5, NAME)).isTrue();
        assertThat(f.addEntry(6, "x".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(f.addEntry(7, NAME)).as("does not fit 40 bytes").isFalse();
        final int length = f.finish(true);
        assertThat(f.wrap(buffer, 0, length).validate()).isEqualTo(DecodeError.NONE);
        assertThat(f.ringSeq()).isEqualTo(9);
        assertThat(f.ringRep()).isEqualTo(3);
        assertThat(f.last()).isTrue();
        assertThat(f.count()).isEqualTo(2);
        final int first = f.firstEntry();
        assertThat(f.entryMemberId(first)).isEqualTo(5);
        assertThat(f.entryName(first)).isEqualTo("web");
        assertThat(f.entryName(f.nextEntry(first))).isEqualTo("x");
        final int empty = f.wrap(buffer, 0, 40).start(1, 1).finish(false);
        assertThat(f.wrap(buffer, 0, empty).validate()).isEqualTo(DecodeError.NONE);
        assertThat(f.count()).isZero();
        assertThat(f.last()).isFalse();
    }

    @Test
    void malformedMessagesAreRejectedWithTheirReason()
    {
        assertThat(decode(bytes(0x52), b -> { })).isEqualTo(DecodeError.TOO_SHORT);
        assertThat(decode(join(), b -> b.putByte(0, (byte)0))).isEqualTo(DecodeError.BAD_MAGIC);
        assertThat(decode(join(), b -> b.putByte(2, (byte)2))).isEqualTo(DecodeError.BAD_VERSION);
        assertThat(decode(join(), b -> b.putByte(3, (byte)9))).isEqualTo(DecodeError.UNKNOWN_TYPE);
        assertThat(decode(join(), b -> b.putInt(4, 0, GroupMessageFlyweight.ORDER))).isEqualTo(DecodeError.BAD_FIELD);
        assertThat(decode(join(), b -> b.putShort(8, (short)0, GroupMessageFlyweight.ORDER)))
            .isEqualTo(DecodeError.BAD_FIELD);
        assertThat(decode(join(), b -> b.putShort(8, (short)300, GroupMessageFlyweight.ORDER)))
            .isEqualTo(DecodeError.BAD_FIELD);
        assertThat(decode(join(), b -> b.putShort(8, (short)200, GroupMessageFlyweight.ORDER)))
            .isEqualTo(DecodeError.BAD_LENGTH);
        final byte[] longJoin = new byte[join().length + 1];
        System.arraycopy(join(), 0, longJoin, 0, join().length);
        assertThat(decode(longJoin, b -> { })).as("JOIN with trailing bytes").isEqualTo(DecodeError.BAD_LENGTH);
        assertThat(decodeSync(sync(), b -> b.putShort(SyncMessageFlyweight.COUNT_OFFSET, (short)3,
            GroupMessageFlyweight.ORDER))).isEqualTo(DecodeError.BAD_COUNT);
        assertThat(decodeSync(sync(), b -> b.putByte(SyncMessageFlyweight.FLAGS_OFFSET, (byte)4)))
            .isEqualTo(DecodeError.BAD_FIELD);
        assertThat(decodeSync(sync(), b -> b.putInt(SyncMessageFlyweight.ENTRIES_OFFSET, -1,
            GroupMessageFlyweight.ORDER))).isEqualTo(DecodeError.BAD_FIELD);
        assertThat(decodeSync(sync(), b -> b.putShort(SyncMessageFlyweight.ENTRIES_OFFSET + 4, (short)40,
            GroupMessageFlyweight.ORDER))).isEqualTo(DecodeError.BAD_LENGTH);
    }

    @Test
    void malformedInputIsCountedAndDroppedWhileTheGroupCarriesOn()
    {
        final GroupCluster c = new GroupCluster(3, 1, 2, 3);
        final MemberLog a = c.join(1, "web");
        final MemberLog b = c.join(3, "web");
        c.settle();
        final byte[] badUtf8 = join();
        badUtf8[GroupMessageFlyweight.NAME_OFFSET] = (byte)0xC3; // a lead byte without its continuation
        final byte[] controlName = join();
        controlName[GroupMessageFlyweight.NAME_OFFSET] = 0x07;
        final byte[] badSyncName = sync();
        badSyncName[SyncMessageFlyweight.ENTRIES_OFFSET + 6] = (byte)0xFF;
        final byte[] wrongMagic = join();
        wrongMagic[1] = 0x11;
        final List<byte[]> garbage = List.of(new byte[0], bytes(0x47), wrongMagic, badUtf8, controlName, badSyncName,
            bytes(0x52, 0x47, 1, 3, 1, 0, 0, 0, 0xFF, 0xFF), new byte[200]);
        for (final byte[] g : garbage)
        {
            assertThat(c.evs.channel(2).offer(new UnsafeBuffer(g), 0, g.length, Guarantee.AGREED)).isTrue();
        }
        final String after = c.send(a, Guarantee.AGREED);
        c.settle();
        for (final int node : new int[] {1, 2, 3})
        {
            assertThat(c.service(node).counters().get(Counter.MALFORMED)).as("node %d", node).isEqualTo(garbage.size());
        }
        assertThat(b.texts()).containsExactly(after);
        assertThat(b.lastView().members()).containsExactly(a.handle.member(), b.handle.member());
    }

    @Test
    void groupNamesAreChecked()
    {
        assertThat(GroupNames.problem("web-1.example/ü")).isNull();
        assertThat(GroupNames.problem("")).contains("empty");
        assertThat(GroupNames.problem("a\nb")).contains("index 1");
        assertThat(GroupNames.problem("x".repeat(256))).contains("256 UTF-8 bytes");
        assertThat(GroupNames.problem("\uD800")).contains("index 0");
        assertThat(GroupNames.problem("\uD83D\uDE00")).isNull();
    }

    private static DecodeError decode(final byte[] bytes, final Consumer<UnsafeBuffer> corrupt)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        corrupt.accept(buffer);
        return new GroupMessageFlyweight().wrap(buffer, 0, bytes.length).validate();
    }

    private static DecodeError decodeSync(final byte[] bytes, final Consumer<UnsafeBuffer> corrupt)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        corrupt.accept(buffer);
        return new SyncMessageFlyweight().wrap(buffer, 0, bytes.length).validate();
    }

    private static byte[] join()
    {
        final byte[] bytes = new byte[GroupMessageFlyweight.encodedLength(NAME, 0)];
        new GroupMessageFlyweight().wrap(new UnsafeBuffer(bytes), 0, bytes.length)
            .encode(GroupMessageFlyweight.TYPE_JOIN, 1, NAME);
        return bytes;
    }

    private static byte[] sync()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final SyncMessageFlyweight f = new SyncMessageFlyweight();
        f.wrap(buffer, 0, 64).start(1, 1).addEntry(3, NAME);
        final byte[] bytes = new byte[f.finish(true)];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static byte[] bytes(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return bytes;
    }
}
