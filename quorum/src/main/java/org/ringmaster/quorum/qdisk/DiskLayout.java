package org.ringmaster.quorum.qdisk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * On-disk format. Sector 0 holds the header; node {@code i} (1..maxNodes) owns the sector at
 * {@code i * sectorSize}, so a node only ever writes its own sector and a torn write can damage
 * nothing but its own slot. Every block ends its meaningful bytes with a CRC32C; a block whose magic,
 * version, owner or checksum is wrong is treated as absent, never trusted. Little endian.
 *
 * <pre>
 * header: magic "RMQDISK1" (8) | version i32 | sectorSize i32 | maxNodes i32 | label (64, UTF-8, NUL padded) | crc i32
 * slot  : magic i32 | version i16 | state i8 | pad i8 | nodeId i32 | incarnation i64 | seq i64 | timestampMs i64 |
 *         score i32 | maxScore i32 | masterId i32 | crc i32   (60 bytes used)
 * </pre>
 */
final class DiskLayout
{
    static final int SECTOR = 512;
    static final byte[] HEADER_MAGIC = "RMQDISK1".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int LABEL_BYTES = 64;
    static final int HEADER_USED = 8 + 4 + 4 + 4 + LABEL_BYTES;
    static final int SLOT_MAGIC = 0x4c534b51; // "QKSL"
    static final int SLOT_USED = 56;

    /** A decoded slot. */
    record Slot(int nodeId, QdiskState state, long incarnation, long seq, long timestampMs, int score, int maxScore,
        int masterId)
    {
    }

    private DiskLayout()
    {
    }

    static long slotOffset(final int nodeId)
    {
        return (long)nodeId * SECTOR;
    }

    static long size(final int maxNodes)
    {
        return (long)(maxNodes + 1) * SECTOR;
    }

    static ByteBuffer encodeHeader(final String label, final int maxNodes)
    {
        final ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.put(HEADER_MAGIC).putInt(VERSION).putInt(SECTOR).putInt(maxNodes);
        final byte[] l = label.getBytes(StandardCharsets.UTF_8);
        if (l.length > LABEL_BYTES)
        {
            throw new QdiskException("quorumd.label", "longer than " + LABEL_BYTES + " bytes: '" + label + "'");
        }
        b.put(l);
        b.putInt(HEADER_USED, crc(b, HEADER_USED));
        b.position(0).limit(SECTOR);
        return b;
    }

    /** Returns maxNodes, or throws naming what is wrong with the header. */
    static int decodeHeader(final String disk, final ByteBuffer raw, final String expectedLabel)
    {
        final ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        final byte[] magic = new byte[8];
        b.get(0, magic);
        if (!java.util.Arrays.equals(magic, HEADER_MAGIC))
        {
            throw new QdiskException(disk, "not a ringmaster quorum disk (bad header magic); format it first");
        }
        if (b.getInt(HEADER_USED) != crc(b, HEADER_USED))
        {
            throw new QdiskException(disk, "quorum disk header checksum mismatch (corrupt header)");
        }
        if (b.getInt(8) != VERSION || b.getInt(12) != SECTOR)
        {
            throw new QdiskException(disk, "unsupported quorum disk version " + b.getInt(8) + " / sector size " + b.getInt(12));
        }
        final int maxNodes = b.getInt(16);
        if (maxNodes < 1 || maxNodes > QdiskConfig.MAX_NODES_LIMIT)
        {
            throw new QdiskException(disk, "quorum disk header claims " + maxNodes + " node slots");
        }
        final byte[] label = new byte[LABEL_BYTES];
        b.get(20, label);
        int len = 0;
        while (len < LABEL_BYTES && label[len] != 0)
        {
            len++;
        }
        final String found = new String(label, 0, len, StandardCharsets.UTF_8);
        if (expectedLabel != null && !expectedLabel.equals(found))
        {
            throw new QdiskException(disk, "quorum disk label is '" + found + "', configured quorumd.label is '" +
                expectedLabel + "'");
        }
        return maxNodes;
    }

    static void encodeSlot(final ByteBuffer b, final Slot s)
    {
        b.clear();
        b.order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < SECTOR; i++)
        {
            b.put(i, (byte)0);
        }
        b.putInt(0, SLOT_MAGIC);
        b.putShort(4, (short)VERSION);
        b.put(6, (byte)s.state().code);
        b.putInt(8, s.nodeId());
        b.putLong(12, s.incarnation());
        b.putLong(20, s.seq());
        b.putLong(28, s.timestampMs());
        b.putInt(36, s.score());
        b.putInt(40, s.maxScore());
        b.putInt(44, s.masterId());
        b.putInt(SLOT_USED, crc(b, SLOT_USED));
        b.position(0).limit(SECTOR);
    }

    /** Decodes the slot at {@code offset} in {@code b}, or returns null if it is blank, torn or garbage. */
    static Slot decodeSlot(final ByteBuffer raw, final int offset, final int expectedNodeId)
    {
        final ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position(offset).limit(offset + SECTOR);
        final ByteBuffer s = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (s.getInt(0) != SLOT_MAGIC || s.getShort(4) != VERSION)
        {
            return null;
        }
        if (s.getInt(SLOT_USED) != crc(s, SLOT_USED))
        {
            return null;
        }
        final QdiskState state = QdiskState.of(s.get(6));
        final int nodeId = s.getInt(8);
        if (state == null || nodeId != expectedNodeId)
        {
            return null;
        }
        return new Slot(nodeId, state, s.getLong(12), s.getLong(20), s.getLong(28), s.getInt(36), s.getInt(40),
            s.getInt(44));
    }

    private static int crc(final ByteBuffer b, final int length)
    {
        final CRC32C crc = new CRC32C();
        final ByteBuffer d = b.duplicate();
        d.position(0).limit(length);
        crc.update(d);
        return (int)crc.getValue();
    }
}
