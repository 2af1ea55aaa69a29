package org.ringmaster.fencing.sbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A shared poison-pill disk (file or block device) in the SBD style: a header sector, then one sector-aligned slot
 * per node. Every sector carries a magic and a CRC32C, so garbage (a wiped or overwritten disk) never reads as a
 * pill. Writes are synchronous (O_DSYNC). Not thread-safe: one user per instance.
 *
 * <p>Header (sector 0, big-endian): {@code "RMPILL01" | version u16 | sectorSize u16 | slots u16 |
 * watchdogTimeoutMs u32 | msgwaitMs u32 | crc32c u32}. Slot i (sector 1+i): {@code "RMSLOT01" | index u16 |
 * node (u16 len + UTF-8, ≤ 64 bytes) | message u8 | sender (u16 len + UTF-8, ≤ 64) | sequence u64 |
 * timestampMs u64 | crc32c u32}; an all-zero sector is a free slot.
 *
 * <p>Every error names the disk and, where there is one, the slot and node.
 */
public final class PoisonPillDisk implements AutoCloseable {

    static final byte[] HEADER_MAGIC = "RMPILL01".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SLOT_MAGIC = "RMSLOT01".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int MAX_NAME_BYTES = 64;

    private final String name;
    private final DiskIo io;
    private final Layout layout;

    /**
     * Disk geometry and timeouts, stored in the header so every node uses the same.
     *
     * @param sectorSize      512 or 4096 (default 512)
     * @param slots           1..255 (default 255)
     * @param watchdogTimeout how long a node may go without feeding its watchdog (default 5 s)
     * @param msgwait         how long a fencer waits after writing a pill before the target counts as fenced;
     *                        must be at least twice watchdogTimeout (default 10 s)
     */
    public record Layout(int sectorSize, int slots, Duration watchdogTimeout, Duration msgwait) {
        public Layout {
            if (sectorSize != 512 && sectorSize != 4096) {
                throw new IllegalArgumentException("poison-pill disk: sectorSize must be 512 or 4096, was "
                    + sectorSize);
            }
            if (slots < 1 || slots > 255) {
                throw new IllegalArgumentException("poison-pill disk: slots must be 1..255, was " + slots);
            }
            if (watchdogTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("poison-pill disk: watchdogTimeout must be >= 1 ms, was "
                    + watchdogTimeout);
            }
            if (msgwait.compareTo(watchdogTimeout.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("poison-pill disk: msgwait (" + msgwait.toMillis()
                    + " ms) must be at least 2 x watchdogTimeout (" + watchdogTimeout.toMillis() + " ms)");
            }
        }

        public static Layout defaults() {
            return new Layout(512, 255, Duration.ofSeconds(5), Duration.ofSeconds(10));
        }

        long bytes() {
            return (long) sectorSize * (1 + slots);
        }
    }

    /** One slot as read from disk. */
    public record Slot(int index, String node, SlotMessage message, String sender, long sequence, long timestampMs) {
    }

    /**
     * A slot read: either a valid {@link Slot}, a free slot, or a corrupt one (with why).
     *
     * @param slot    the slot, when valid
     * @param corrupt why the slot is not valid; empty when it is valid or free
     */
    public record SlotRead(int index, Optional<Slot> slot, String corrupt) {
        public boolean isFree() {
            return slot.isEmpty() && corrupt.isEmpty();
        }
    }

    private PoisonPillDisk(String name, DiskIo io, Layout layout) {
        this.name = name;
        this.io = io;
        this.layout = layout;
    }

    /**
     * Initialises a disk: writes the header and frees every slot (destroys what was there).
     *
     * @throws PoisonPillDiskException naming the disk on any I/O error (e.g. "No space left on device")
     */
    public static PoisonPillDisk create(Path path, Layout layout) {
        DiskIo io;
        try {
            io = new FileDiskIo(path, true);
        } catch (IOException e) {
            throw new PoisonPillDiskException(path + ": cannot open for writing: " + describe(e), e);
        }
        return create(path.toString(), io, layout);
    }

    static PoisonPillDisk create(String name, DiskIo io, Layout layout) {
        PoisonPillDisk d = new PoisonPillDisk(name, io, layout);
        try {
            ByteBuffer zero = ByteBuffer.allocate(layout.sectorSize());
            for (int i = 0; i < layout.slots(); i++) {
                zero.clear();
                io.write(d.slotOffset(i), zero);
            }
            io.write(0, d.encodeHeader());
        } catch (IOException e) {
            closeQuietly(io);
            throw new PoisonPillDiskException("poison-pill disk " + name + ": initialising " + layout.bytes()
                + " bytes failed: " + describe(e), e);
        }
        return d;
    }

    /**
     * Opens an initialised disk and checks its header.
     *
     * @throws PoisonPillDiskException naming the disk when it cannot be opened, is not initialised or is corrupt
     */
    public static PoisonPillDisk open(Path path) {
        DiskIo io;
        try {
            io = new FileDiskIo(path, false);
        } catch (IOException e) {
            throw new PoisonPillDiskException("poison-pill disk " + path + ": cannot open: " + describe(e), e);
        }
        return open(path.toString(), io);
    }

    static PoisonPillDisk open(String name, DiskIo io) {
        ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.BIG_ENDIAN);
        try {
            io.read(0, b);
        } catch (IOException e) {
            closeQuietly(io);
            throw new PoisonPillDiskException("poison-pill disk " + name + ": reading header failed: " + describe(e), e);
        }
        try {
            Layout layout = decodeHeader(name, b.flip());
            PoisonPillDisk d = new PoisonPillDisk(name, io, layout);
            d.readSector(layout.slots() - 1); // the last slot must exist: a truncated disk is an error now, not later
            return d;
        } catch (PoisonPillDiskException e) {
            closeQuietly(io);
            throw e;
        } catch (IOException e) {
            closeQuietly(io);
            throw new PoisonPillDiskException("poison-pill disk " + name + ": too small or unreadable for its "
                + "layout: " + describe(e), e);
        }
    }

    public Layout layout() {
        return layout;
    }

    public String name() {
        return name;
    }

    /** Reads slot {@code index}. */
    public SlotRead read(int index) throws IOException {
        return decodeSlot(index, readSector(index));
    }

    /** Reads every slot. */
    public List<SlotRead> list() throws IOException {
        List<SlotRead> out = new ArrayList<>();
        for (int i = 0; i < layout.slots(); i++) {
            out.add(read(i));
        }
        return out;
    }

    /** The slot index allocated to {@code node}, if any. */
    public Optional<Integer> find(String node) throws IOException {
        for (SlotRead r : list()) {
            if (r.slot().isPresent() && r.slot().get().node().equals(node)) {
                return Optional.of(r.index());
            }
        }
        return Optional.empty();
    }

    /**
     * The slot of {@code node}, allocating the first free one if it has none (written CLEAR).
     *
     * @throws PoisonPillDiskException naming the node when every slot is taken
     */
    public int allocate(String node) throws IOException {
        checkName("node", node);
        Optional<Integer> existing = find(node);
        if (existing.isPresent()) {
            return existing.get();
        }
        for (SlotRead r : list()) {
            if (r.isFree()) {
                writeSlot(new Slot(r.index(), node, SlotMessage.CLEAR, "", 0, 0));
                return r.index();
            }
        }
        throw new PoisonPillDiskException("poison-pill disk " + name + ": no free slot for node " + node + " (all "
            + layout.slots() + " slots allocated or corrupt)");
    }

    /**
     * Writes {@code message} into {@code target}'s slot (allocating it if needed), with the next sequence number.
     *
     * @return the slot as written
     */
    public Slot message(String target, SlotMessage message, String sender, long timestampMs) throws IOException {
        checkName("sender", sender);
        int index = allocate(target);
        SlotRead current = read(index);
        long seq = current.slot().map(Slot::sequence).orElse(0L) + 1;
        Slot s = new Slot(index, target, message, sender, seq, timestampMs);
        writeSlot(s);
        return s;
    }

    void writeSlot(Slot s) throws IOException {
        try {
            io.write(slotOffset(s.index()), encodeSlot(s));
        } catch (IOException e) {
            throw new IOException("poison-pill disk " + name + ": writing slot " + s.index() + " (node " + s.node()
                + ") failed: " + describe(e), e);
        }
    }

    private ByteBuffer readSector(int index) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(layout.sectorSize()).order(ByteOrder.BIG_ENDIAN);
        try {
            io.read(slotOffset(index), b);
        } catch (IOException e) {
            throw new IOException("poison-pill disk " + name + ": reading slot " + index + " failed: " + describe(e), e);
        }
        return b.flip();
    }

    private long slotOffset(int index) {
        return (long) layout.sectorSize() * (1 + index);
    }

    @Override
    public void close() {
        closeQuietly(io);
    }

    @Override
    public String toString() {
        return "poison-pill disk " + name;
    }

    // ---- encoding ----

    private ByteBuffer encodeHeader() {
        ByteBuffer b = ByteBuffer.allocate(layout.sectorSize()).order(ByteOrder.BIG_ENDIAN);
        b.put(HEADER_MAGIC).putShort((short) VERSION).putShort((short) layout.sectorSize())
            .putShort((short) layout.slots()).putInt((int) layout.watchdogTimeout().toMillis())
            .putInt((int) layout.msgwait().toMillis());
        b.putInt(crc(b.array(), b.position()));
        return b.clear();
    }

    private static Layout decodeHeader(String name, ByteBuffer b) {
        byte[] magic = new byte[HEADER_MAGIC.length];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, HEADER_MAGIC)) {
            throw new PoisonPillDiskException("poison-pill disk " + name
                + ": no poison-pill header (not initialised, or not a poison-pill disk)");
        }
        int version = b.getShort() & 0xffff;
        int sector = b.getShort() & 0xffff;
        int slots = b.getShort() & 0xffff;
        long wd = b.getInt() & 0xffffffffL;
        long mw = b.getInt() & 0xffffffffL;
        int stored = b.getInt();
        if (stored != crc(b.array(), b.position() - 4)) {
            throw new PoisonPillDiskException("poison-pill disk " + name + ": header checksum mismatch (corrupt)");
        }
        if (version != VERSION) {
            throw new PoisonPillDiskException("poison-pill disk " + name + ": unsupported version " + version);
        }
        try {
            return new Layout(sector, slots, Duration.ofMillis(wd), Duration.ofMillis(mw));
        } catch (IllegalArgumentException e) {
            throw new PoisonPillDiskException("poison-pill disk " + name + ": bad header: " + e.getMessage());
        }
    }

    private ByteBuffer encodeSlot(Slot s) {
        ByteBuffer b = ByteBuffer.allocate(layout.sectorSize()).order(ByteOrder.BIG_ENDIAN);
        b.put(SLOT_MAGIC).putShort((short) s.index());
        putString(b, s.node());
        b.put((byte) s.message().code());
        putString(b, s.sender());
        b.putLong(s.sequence()).putLong(s.timestampMs());
        b.putInt(crc(b.array(), b.position()));
        return b.clear();
    }

    static SlotRead decodeSlot(int index, ByteBuffer b) {
        byte[] all = new byte[b.remaining()];
        b.duplicate().get(all);
        boolean zero = true;
        for (byte x : all) {
            if (x != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return new SlotRead(index, Optional.empty(), "");
        }
        try {
            byte[] magic = new byte[SLOT_MAGIC.length];
            b.get(magic);
            if (!java.util.Arrays.equals(magic, SLOT_MAGIC)) {
                return corrupt(index, "no slot magic");
            }
            int storedIndex = b.getShort() & 0xffff;
            String node = getString(b);
            int code = b.get() & 0xff;
            String sender = getString(b);
            long seq = b.getLong();
            long ts = b.getLong();
            int end = b.position();
            int stored = b.getInt();
            if (stored != crc(all, end)) {
                return corrupt(index, "checksum mismatch");
            }
            if (storedIndex != index) {
                return corrupt(index, "slot claims index " + storedIndex);
            }
            SlotMessage m = SlotMessage.fromCode(code);
            if (m == null) {
                return corrupt(index, "unknown message code " + code);
            }
            return new SlotRead(index, Optional.of(new Slot(index, node, m, sender, seq, ts)), "");
        } catch (RuntimeException e) {
            return corrupt(index, "malformed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static SlotRead corrupt(int index, String why) {
        return new SlotRead(index, Optional.empty(), why);
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer b) {
        int n = b.getShort() & 0xffff;
        if (n > MAX_NAME_BYTES) {
            throw new IllegalStateException("name too long");
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void checkName(String what, String s) {
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("poison-pill disk: " + what + " name '" + s + "' is longer than "
                + MAX_NAME_BYTES + " bytes");
        }
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C c = new CRC32C();
        c.update(bytes, 0, length);
        return (int) c.getValue();
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static void closeQuietly(DiskIo io) {
        try {
            io.close();
        } catch (IOException ignored) {
            // closing after a failure: the original error is what matters
        }
    }
}
