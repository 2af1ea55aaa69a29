package org.ringmaster.crm.simple.run;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.policy.Action;

/**
 * Binary encoding of {@link CrmMessage}s and of the persisted state: a magic byte, a version byte, a type
 * byte, then fields (big-endian, strings as UTF-8 with a length). Decoding checks every length and count,
 * so malformed input fails with an {@link IllegalArgumentException} naming what was wrong.
 *
 * <p>Versions: 2 adds the time of the last failure to each fail-count of a node record and the
 * ExpireFailure message. Version 1 (no failure times) is still decoded, so a state file persisted by an
 * older node loads (its fail-counts have no time and so never expire); version 2 is always written.
 */
final class Wire {
    static final int MAGIC = 0x52; // 'R'
    static final int VERSION = 2;
    /** The oldest version still decoded. */
    static final int OLDEST_VERSION = 1;
    private static final int MAX_COUNT = 1 << 20;

    private static final int SYNC = 1;
    private static final int NODE_UPDATE = 2;
    private static final int PLAN = 3;
    private static final int EXEC = 4;
    private static final int FENCED = 5;
    private static final int TIMEOUT = 6;
    private static final int COMMAND = 7;
    private static final int EXPIRE_FAILURE = 8;

    private Wire() {
    }

    static byte[] encode(CrmMessage m) {
        return encode(m, VERSION);
    }

    /** Encodes in an older version (tests of compatibility); fields it lacks are left out. */
    static byte[] encode(CrmMessage m, int version) {
        if (version < OLDEST_VERSION || version > VERSION || (version < 2 && m instanceof CrmMessage.ExpireFailure)) {
            throw new IllegalArgumentException(m.getClass().getSimpleName() + " cannot be written in version " + version);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(MAGIC);
            out.writeByte(version);
            if (m instanceof CrmMessage.Sync s) {
                out.writeByte(SYNC);
                out.writeLong(s.ringSeq());
                writeConfig(out, s.config());
                out.writeInt(s.records().size());
                for (NodeRecord r : s.records()) {
                    writeRecord(out, r, version);
                }
                out.writeLong(s.nextTransitionId());
            } else if (m instanceof CrmMessage.NodeUpdate u) {
                out.writeByte(NODE_UPDATE);
                out.writeLong(u.tid());
                out.writeInt(u.idx());
                out.writeByte(u.outcome());
                writeRecord(out, u.record(), version);
            } else if (m instanceof CrmMessage.Plan p) {
                out.writeByte(PLAN);
                out.writeLong(p.tid());
                out.writeInt(p.actions().size());
                for (Action a : p.actions()) {
                    out.writeInt(a.index());
                    out.writeUTF(a.kind());
                    writeNullable(out, a.resource());
                    out.writeUTF(a.node());
                    out.writeLong(a.interval());
                    out.writeInt(a.after().size());
                    for (int x : a.after()) {
                        out.writeInt(x);
                    }
                }
            } else if (m instanceof CrmMessage.Exec e) {
                out.writeByte(EXEC);
                out.writeLong(e.tid());
                out.writeInt(e.idx());
            } else if (m instanceof CrmMessage.Fenced f) {
                out.writeByte(FENCED);
                out.writeLong(f.tid());
                out.writeInt(f.idx());
                out.writeUTF(f.node());
                out.writeBoolean(f.ok());
                out.writeUTF(f.detail());
            } else if (m instanceof CrmMessage.ActionTimeout t) {
                out.writeByte(TIMEOUT);
                out.writeLong(t.tid());
                out.writeInt(t.idx());
            } else if (m instanceof CrmMessage.ExpireFailure x) {
                out.writeByte(EXPIRE_FAILURE);
                out.writeUTF(x.node());
                out.writeUTF(x.rsc());
                out.writeLong(x.failedAtMillis());
            } else if (m instanceof CrmMessage.Command c) {
                out.writeByte(COMMAND);
                out.writeLong(c.requestId());
                out.writeInt(c.words().size());
                for (String w : c.words()) {
                    writeLong(out, w);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalArgumentException naming the problem when the bytes are not a valid message
     */
    static CrmMessage decode(byte[] bytes, int offset, int length) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, offset, length))) {
            int version = header(in);
            int type = in.readUnsignedByte();
            CrmMessage m = switch (type) {
                case SYNC -> {
                    long seq = in.readLong();
                    ConfigDocument cfg = readConfig(in);
                    int n = count(in, "records");
                    List<NodeRecord> records = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        records.add(readRecord(in, version));
                    }
                    yield new CrmMessage.Sync(seq, cfg, records, in.readLong());
                }
                case NODE_UPDATE -> new CrmMessage.NodeUpdate(in.readLong(), in.readInt(), in.readUnsignedByte(),
                        readRecord(in, version));
                case PLAN -> {
                    long tid = in.readLong();
                    int n = count(in, "actions");
                    List<Action> actions = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        int index = in.readInt();
                        String kind = in.readUTF();
                        String rsc = readNullable(in);
                        String node = in.readUTF();
                        long interval = in.readLong();
                        int k = count(in, "after");
                        List<Integer> after = new ArrayList<>();
                        for (int j = 0; j < k; j++) {
                            int x = in.readInt();
                            if (x < 0 || x >= i) {
                                throw new IllegalArgumentException("action " + i + " waits for action " + x);
                            }
                            after.add(x);
                        }
                        if (index != i) {
                            throw new IllegalArgumentException("action " + i + " has index " + index);
                        }
                        actions.add(new Action(index, kind, rsc, node, interval, after));
                    }
                    yield new CrmMessage.Plan(tid, actions);
                }
                case EXEC -> new CrmMessage.Exec(in.readLong(), in.readInt());
                case FENCED -> new CrmMessage.Fenced(in.readLong(), in.readInt(), in.readUTF(), in.readBoolean(),
                        in.readUTF());
                case TIMEOUT -> new CrmMessage.ActionTimeout(in.readLong(), in.readInt());
                case EXPIRE_FAILURE -> {
                    if (version < 2) {
                        throw new IllegalArgumentException("message type " + type + " in version " + version);
                    }
                    yield new CrmMessage.ExpireFailure(in.readUTF(), in.readUTF(), in.readLong());
                }
                case COMMAND -> {
                    long id = in.readLong();
                    int n = count(in, "words");
                    List<String> words = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        words.add(readLong(in));
                    }
                    yield new CrmMessage.Command(id, words);
                }
                default -> throw new IllegalArgumentException("unknown message type " + type);
            };
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes");
            }
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated message (" + length + " bytes)", e);
        }
    }

    /** The persisted state: configuration, every record, next transition id. */
    static byte[] encodeState(ConfigDocument cfg, List<NodeRecord> records, long nextTid) {
        return encode(new CrmMessage.Sync(0, cfg, records, nextTid));
    }

    static CrmMessage.Sync decodeState(byte[] bytes) {
        if (decode(bytes, 0, bytes.length) instanceof CrmMessage.Sync s) {
            return s;
        }
        throw new IllegalArgumentException("not a state record");
    }

    /** @return the version */
    private static int header(DataInputStream in) throws IOException {
        int magic = in.readUnsignedByte();
        if (magic != MAGIC) {
            throw new IllegalArgumentException("bad magic byte 0x" + Integer.toHexString(magic));
        }
        int v = in.readUnsignedByte();
        if (v < OLDEST_VERSION || v > VERSION) {
            throw new IllegalArgumentException("unsupported version " + v + " (known: " + OLDEST_VERSION + " to "
                    + VERSION + ")");
        }
        return v;
    }

    private static int count(DataInputStream in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new IllegalArgumentException("bad " + what + " count " + n);
        }
        return n;
    }

    private static void writeConfig(DataOutputStream out, ConfigDocument c) throws IOException {
        out.writeLong(c.epoch());
        out.writeInt(c.author());
        out.writeUTF(c.format());
        writeLong(out, c.text());
        out.writeInt(c.overlay().size());
        for (var e : c.overlay().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static ConfigDocument readConfig(DataInputStream in) throws IOException {
        long epoch = in.readLong();
        int author = in.readInt();
        String format = in.readUTF();
        String text = readLong(in);
        int n = count(in, "overlay");
        SortedMap<String, String> overlay = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            overlay.put(in.readUTF(), in.readUTF());
        }
        return new ConfigDocument(epoch, author, format, text, overlay);
    }

    private static void writeRecord(DataOutputStream out, NodeRecord r, int version) throws IOException {
        out.writeUTF(r.uname());
        out.writeBoolean(r.expectedUp());
        out.writeLong(r.stamp());
        out.writeInt(r.resources().size());
        for (var e : r.resources().entrySet()) {
            out.writeUTF(e.getKey());
            LocalState s = e.getValue();
            out.writeByte(s.role().ordinal());
            out.writeByte((s.failed() ? 1 : 0) | (s.startFailed() ? 2 : 0) | (s.stopFailed() ? 4 : 0)
                    | (s.notInstalled() ? 8 : 0));
            out.writeUTF(s.failedOp());
            out.writeLong(s.failedInterval());
            out.writeInt(s.failedRc());
        }
        out.writeInt(r.failCounts().size());
        for (var e : r.failCounts().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue());
            if (version >= 2) {
                out.writeLong(r.failTime(e.getKey()));
            }
        }
        writeSet(out, r.probed());
        writeSet(out, r.pending());
    }

    private static NodeRecord readRecord(DataInputStream in, int version) throws IOException {
        String uname = in.readUTF();
        boolean up = in.readBoolean();
        long stamp = in.readLong();
        int n = count(in, "resource states");
        SortedMap<String, LocalState> res = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            int role = in.readUnsignedByte();
            if (role >= Role.values().length) {
                throw new IllegalArgumentException("resource " + id + " on " + uname + ": bad role " + role);
            }
            int flags = in.readUnsignedByte();
            res.put(id, new LocalState(Role.values()[role], (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0,
                    (flags & 8) != 0, in.readUTF(), in.readLong(), in.readInt()));
        }
        int f = count(in, "fail-counts");
        SortedMap<String, Integer> fc = new TreeMap<>();
        SortedMap<String, Long> times = new TreeMap<>();
        for (int i = 0; i < f; i++) {
            String id = in.readUTF();
            fc.put(id, in.readInt());
            long at = version >= 2 ? in.readLong() : 0;
            if (at < 0) {
                throw new IllegalArgumentException("fail-count of " + id + " on " + uname + ": bad failure time " + at);
            }
            if (at > 0) {
                times.put(id, at);
            }
        }
        return new NodeRecord(uname, up, stamp, res, fc, times, readSet(in), readSet(in));
    }

    private static void writeSet(DataOutputStream out, SortedSet<String> s) throws IOException {
        out.writeInt(s.size());
        for (String x : s) {
            out.writeUTF(x);
        }
    }

    private static SortedSet<String> readSet(DataInputStream in) throws IOException {
        int n = count(in, "set");
        SortedSet<String> s = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            s.add(in.readUTF());
        }
        return s;
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** Strings longer than writeUTF's 64 KiB limit (configuration texts). */
    private static void writeLong(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readLong(DataInputStream in) throws IOException {
        int n = count(in, "text length");
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("truncated text");
        }
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
