package org.ringmaster.fencing.sbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class PoisonPillDiskTest {

    @TempDir
    Path dir;

    static PoisonPillDisk.Layout small() {
        return new PoisonPillDisk.Layout(512, 8, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    @Test
    void createAllocateMessageAndReopen() throws Exception {
        Path p = dir.resolve("pill.img");
        try (PoisonPillDisk d = PoisonPillDisk.create(p, small())) {
            assertThat(d.allocate("node1")).isZero();
            assertThat(d.allocate("node2")).isEqualTo(1);
            assertThat(d.allocate("node1")).isZero();
            PoisonPillDisk.Slot s = d.message("node3", SlotMessage.RESET, "node1", 1234L);
            assertThat(s.index()).isEqualTo(2);
            assertThat(s.sequence()).isEqualTo(1);
        }
        assertThat(Files.size(p)).isEqualTo(512L * 9);
        try (PoisonPillDisk d = PoisonPillDisk.open(p)) {
            assertThat(d.layout()).isEqualTo(small());
            PoisonPillDisk.Slot s = d.read(2).slot().orElseThrow();
            assertThat(s.node()).isEqualTo("node3");
            assertThat(s.message()).isEqualTo(SlotMessage.RESET);
            assertThat(s.sender()).isEqualTo("node1");
            assertThat(s.timestampMs()).isEqualTo(1234L);
            assertThat(d.message("node3", SlotMessage.CLEAR, "node3", 5L).sequence()).isEqualTo(2);
            assertThat(d.list()).hasSize(8);
            assertThat(d.list().get(5).isFree()).isTrue();
            assertThat(d.find("node2")).contains(1);
            assertThat(d.find("node9")).isEmpty();
        }
    }

    @Test
    void uninitialisedCorruptOrTruncatedDisksAreNamed() throws Exception {
        Path zero = dir.resolve("zero.img");
        Files.write(zero, new byte[4096]);
        assertThatThrownBy(() -> PoisonPillDisk.open(zero)).isInstanceOf(PoisonPillDiskException.class)
            .hasMessage("poison-pill disk " + zero + ": no poison-pill header (not initialised, or not a poison-pill disk)");

        Path p = dir.resolve("pill.img");
        PoisonPillDisk.create(p, small()).close();
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(12);
            f.write(0x7f);
        }
        assertThatThrownBy(() -> PoisonPillDisk.open(p)).hasMessageContaining(p + ": header checksum mismatch");

        Path t = dir.resolve("trunc.img");
        PoisonPillDisk.create(t, small()).close();
        try (RandomAccessFile f = new RandomAccessFile(t.toFile(), "rw")) {
            f.setLength(512 * 4);
        }
        assertThatThrownBy(() -> PoisonPillDisk.open(t)).hasMessageContaining(t + ": too small or unreadable")
            .hasMessageContaining("reading slot 7 failed");

        assertThatThrownBy(() -> PoisonPillDisk.open(dir.resolve("missing.img")))
            .hasMessageContaining("missing.img: cannot open");
    }

    @Test
    void aFullDiskIsNamed() {
        Path full = Path.of("/dev/full");
        assertThat(full).exists();
        assertThatThrownBy(() -> PoisonPillDisk.create(full, small()))
            .isInstanceOf(PoisonPillDiskException.class)
            .hasMessageContaining("poison-pill disk /dev/full: initialising 4608 bytes failed")
            .hasMessageContaining("No space left on device");
    }

    @Test
    void writeErrorsNameTheSlotAndNode() throws Exception {
        Path p = dir.resolve("pill.img");
        PoisonPillDisk.create(p, small()).close();
        FlakyDiskIo io = new FlakyDiskIo(p);
        try (PoisonPillDisk d = PoisonPillDisk.open(p.toString(), io)) {
            d.allocate("node1");
            io.failWrites = "No space left on device";
            assertThatThrownBy(() -> d.message("node1", SlotMessage.OFF, "node2", 1))
                .hasMessage("poison-pill disk " + p + ": writing slot 0 (node node1) failed: No space left on device");
            io.failWrites = null;
            io.failReads = "Input/output error";
            assertThatThrownBy(() -> d.read(0))
                .hasMessage("poison-pill disk " + p + ": reading slot 0 failed: Input/output error");
        }
    }

    @Test
    void noFreeSlotNamesTheNode() throws Exception {
        PoisonPillDisk.Layout two = new PoisonPillDisk.Layout(512, 2, Duration.ofSeconds(1), Duration.ofSeconds(2));
        try (PoisonPillDisk d = PoisonPillDisk.create(dir.resolve("p.img"), two)) {
            d.allocate("a");
            d.allocate("b");
            assertThatThrownBy(() -> d.allocate("c")).hasMessageContaining("no free slot for node c (all 2 slots");
            assertThatThrownBy(() -> d.allocate("x".repeat(65))).hasMessageContaining("longer than 64 bytes");
        }
    }

    @Test
    void garbageNeverReadsAsAPill() throws Exception {
        Path p = dir.resolve("pill.img");
        PoisonPillDisk.create(p, small()).close();
        SplittableRandom rnd = new SplittableRandom(42);
        try (PoisonPillDisk d = PoisonPillDisk.open(p); RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            for (int round = 0; round < 300; round++) {
                byte[] junk = new byte[512];
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = (byte) rnd.nextInt(256);
                }
                if (round % 3 == 0) { // keep a valid-looking magic so the checksum is what catches it
                    System.arraycopy(PoisonPillDisk.SLOT_MAGIC, 0, junk, 0, 8);
                    junk[8] = 0;
                    junk[9] = 1;
                }
                f.seek(512L * 2);
                f.write(junk);
                PoisonPillDisk.SlotRead r = d.read(1);
                assertThat(r.slot()).as("round " + round).isEmpty();
                assertThat(r.corrupt()).isNotEmpty();
            }
        }
    }

    @Test
    void layoutValidationNamesTheKeys() {
        assertThatThrownBy(() -> new PoisonPillDisk.Layout(1000, 8, Duration.ofSeconds(5), Duration.ofSeconds(10)))
            .hasMessageContaining("sectorSize must be 512 or 4096, was 1000");
        assertThatThrownBy(() -> new PoisonPillDisk.Layout(512, 8, Duration.ofSeconds(5), Duration.ofSeconds(9)))
            .hasMessage("poison-pill disk: msgwait (9000 ms) must be at least 2 x watchdogTimeout (5000 ms)");
        assertThatThrownBy(() -> new PoisonPillDisk.Layout(512, 0, Duration.ofSeconds(5), Duration.ofSeconds(10)))
            .hasMessageContaining("slots must be 1..255");
        assertThat(PoisonPillDisk.Layout.defaults().slots()).isEqualTo(255);
    }
}
