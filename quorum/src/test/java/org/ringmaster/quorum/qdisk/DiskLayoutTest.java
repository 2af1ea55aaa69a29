package org.ringmaster.quorum.qdisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DiskLayoutTest
{
    @Test
    void slotRoundTripAndEveryCorruptionIsRejected()
    {
        final ByteBuffer b = ByteBuffer.allocate(DiskLayout.SECTOR);
        final DiskLayout.Slot slot = new DiskLayout.Slot(5, QdiskState.BID, 77, 1234, 99_000, 3, 4, 2);
        DiskLayout.encodeSlot(b, slot);
        assertThat(DiskLayout.decodeSlot(b, 0, 5)).isEqualTo(slot);
        assertThat(DiskLayout.decodeSlot(b, 0, 6)).as("slot written for another node").isNull();
        for (int i = 0; i < DiskLayout.SLOT_USED + 4; i++)
        {
            final ByteBuffer torn = ByteBuffer.allocate(DiskLayout.SECTOR);
            torn.put(b.array());
            torn.put(i, (byte)(torn.get(i) ^ 0x10));
            assertThat(DiskLayout.decodeSlot(torn, 0, 5)).as("flipped byte %d", i).isNull();
        }
        assertThat(DiskLayout.decodeSlot(ByteBuffer.allocate(DiskLayout.SECTOR), 0, 5)).as("blank").isNull();
    }

    @Test
    void headerRoundTrip()
    {
        final ByteBuffer h = DiskLayout.encodeHeader("prod-qdisk", 16);
        assertThat(DiskLayout.decodeHeader("d", h, "prod-qdisk")).isEqualTo(16);
        assertThat(DiskLayout.decodeHeader("d", h, null)).isEqualTo(16);
    }
}
