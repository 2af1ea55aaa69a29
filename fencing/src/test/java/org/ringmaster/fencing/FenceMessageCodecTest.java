package org.ringmaster.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.api.fencing.FenceAction;
import org.ringmaster.crm.api.fencing.FenceStatus;

@Timeout(10)
class FenceMessageCodecTest {

    static final FenceMessage.Request REQUEST = new FenceMessage.Request(-42L, "node1", "nöde2", FenceAction.REBOOT,
        "lost while running web");
    static final FenceMessage.Result RESULT = new FenceMessage.Result(99L, "node2", FenceAction.OFF,
        FenceStatus.SUCCEEDED, "node1", "node3", "pdu", "level 2", 1_700_000_000_123L,
        List.of(new FenceAttempt(1, "ipmi", "off", false, "timed out"), new FenceAttempt(2, "pdu", "off", true, "")));

    @Test
    void requestAndResultRoundTrip() {
        assertThat(FenceMessageCodec.decode(FenceMessageCodec.encode(REQUEST))).isEqualTo(REQUEST);
        assertThat(FenceMessageCodec.decode(FenceMessageCodec.encode(RESULT))).isEqualTo(RESULT);
        FenceMessage.Confirm confirm = new FenceMessage.Confirm(5, "node1", "node2", 77);
        assertThat(FenceMessageCodec.decode(FenceMessageCodec.encode(confirm))).isEqualTo(confirm);
    }

    @Test
    void everyTruncationIsAClearError() {
        byte[] full = FenceMessageCodec.encode(RESULT);
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            assertThatThrownBy(() -> FenceMessageCodec.decode(cut)).as("length " + n)
                .isInstanceOf(FenceMessageCodec.MalformedMessageException.class)
                .hasMessageStartingWith("fence message");
        }
    }

    @Test
    void badHeaderFieldsAreNamed() {
        byte[] b = FenceMessageCodec.encode(REQUEST);
        byte[] magic = b.clone();
        magic[0] = 0;
        assertThatThrownBy(() -> FenceMessageCodec.decode(magic)).hasMessageContaining("bad magic 0x4e at offset 0");
        byte[] version = b.clone();
        version[2] = 9;
        assertThatThrownBy(() -> FenceMessageCodec.decode(version)).hasMessageContaining("unsupported version 9");
        byte[] type = b.clone();
        type[3] = 7;
        assertThatThrownBy(() -> FenceMessageCodec.decode(type)).hasMessageContaining("unknown type 7");
        byte[] trailing = Arrays.copyOf(b, b.length + 3);
        assertThatThrownBy(() -> FenceMessageCodec.decode(trailing)).hasMessageContaining("3 trailing bytes");
        byte[] longString = b.clone();
        longString[12] = (byte) 0xff; // origin length high byte
        assertThatThrownBy(() -> FenceMessageCodec.decode(longString))
            .hasMessageContaining("origin length").hasMessageContaining("at offset 12");
    }

    @Test
    void randomGarbageNeverDecodesSilentlyIntoSomethingElse() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            byte[] g = new byte[rnd.nextInt(64)];
            for (int j = 0; j < g.length; j++) {
                g[j] = (byte) rnd.nextInt(256);
            }
            try {
                FenceMessage m = FenceMessageCodec.decode(g);
                assertThat(FenceMessageCodec.encode(m)).isEqualTo(g); // only exact encodings decode
            } catch (FenceMessageCodec.MalformedMessageException expected) {
                assertThat(expected.getMessage()).startsWith("fence message");
            }
        }
    }
}
