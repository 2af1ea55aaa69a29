package org.ringmaster.fencing;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ringmaster.crm.api.fencing.FenceAction;
import org.ringmaster.crm.api.fencing.FenceStatus;

/**
 * Binary encoding of {@link FenceMessage}s, big-endian:
 * {@code magic u16 'FN' | version u8 | type u8 | fields}. Strings are {@code u16 length | UTF-8 bytes}; a result's
 * attempts are {@code u16 count} then per attempt {@code level u16 | device | action | ok u8 | detail}.
 * Decoding never trusts lengths and names the field that is bad.
 */
public final class FenceMessageCodec {

    static final short MAGIC = 0x464E;
    static final byte VERSION = 1;
    static final byte TYPE_REQUEST = 1;
    static final byte TYPE_RESULT = 2;
    static final byte TYPE_CONFIRM = 3;
    static final int MAX_STRING_BYTES = 4096;
    static final int MAX_ATTEMPTS = 256;

    private FenceMessageCodec() {
    }

    /** Encodes a message; strings longer than {@value #MAX_STRING_BYTES} bytes are cut. */
    public static byte[] encode(FenceMessage m) {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.BIG_ENDIAN);
        Out out = new Out(b);
        out.u16(MAGIC).u8(VERSION);
        if (m instanceof FenceMessage.Request r) {
            out.u8(TYPE_REQUEST).i64(r.requestId()).str(r.origin()).str(r.target()).u8(r.action().ordinal())
                .str(r.reason());
        } else if (m instanceof FenceMessage.Confirm c) {
            out.u8(TYPE_CONFIRM).i64(c.confirmId()).str(c.origin()).str(c.target()).i64(c.atMillis());
        } else if (m instanceof FenceMessage.Result r) {
            out.u8(TYPE_RESULT).i64(r.operationId()).str(r.target()).u8(r.action().ordinal()).u8(r.status().code())
                .str(r.origin()).str(r.executor()).str(r.device()).str(r.detail()).i64(r.completedAtMillis());
            List<FenceAttempt> attempts = r.attempts().subList(0, Math.min(MAX_ATTEMPTS, r.attempts().size()));
            out.u16(attempts.size());
            for (FenceAttempt a : attempts) {
                out.u16(a.level()).str(a.device()).str(a.action()).u8(a.succeeded() ? 1 : 0).str(a.detail());
            }
        }
        ByteBuffer done = out.buf.flip();
        byte[] bytes = new byte[done.remaining()];
        done.get(bytes);
        return bytes;
    }

    /**
     * Decodes one message.
     *
     * @throws MalformedMessageException naming the field and byte offset that are wrong
     */
    public static FenceMessage decode(byte[] bytes) {
        In in = new In(ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN));
        int magic = in.u16("magic");
        if (magic != (MAGIC & 0xffff)) {
            throw new MalformedMessageException("fence message: bad magic 0x" + Integer.toHexString(magic) + " at offset 0");
        }
        int version = in.u8("version");
        if (version != VERSION) {
            throw new MalformedMessageException("fence message: unsupported version " + version);
        }
        int type = in.u8("type");
        FenceMessage m = switch (type) {
            case TYPE_REQUEST -> new FenceMessage.Request(in.i64("requestId"), in.str("origin"), in.str("target"),
                action(in.u8("action")), in.str("reason"));
            case TYPE_CONFIRM -> new FenceMessage.Confirm(in.i64("confirmId"), in.str("origin"), in.str("target"),
                in.i64("confirmedAt"));
            case TYPE_RESULT -> {
                long id = in.i64("operationId");
                String target = in.str("target");
                FenceAction action = action(in.u8("action"));
                FenceStatus status = status(in.u8("status"));
                String origin = in.str("origin");
                String executor = in.str("executor");
                String device = in.str("device");
                String detail = in.str("detail");
                long at = in.i64("completedAt");
                int n = in.u16("attempt count");
                if (n > MAX_ATTEMPTS) {
                    throw new MalformedMessageException("fence message: attempt count " + n + " > " + MAX_ATTEMPTS);
                }
                List<FenceAttempt> attempts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    attempts.add(new FenceAttempt(in.u16("attempt level"), in.str("attempt device"),
                        in.str("attempt action"), in.u8("attempt ok") != 0, in.str("attempt detail")));
                }
                yield new FenceMessage.Result(id, target, action, status, origin, executor, device, detail, at,
                    attempts);
            }
            default -> throw new MalformedMessageException("fence message: unknown type " + type + " at offset 3");
        };
        if (in.buf.hasRemaining()) {
            throw new MalformedMessageException("fence message: " + in.buf.remaining() + " trailing bytes at offset "
                + in.buf.position());
        }
        return m;
    }

    private static FenceAction action(int ordinal) {
        FenceAction[] all = FenceAction.values();
        if (ordinal >= all.length) {
            throw new MalformedMessageException("fence message: unknown action code " + ordinal);
        }
        return all[ordinal];
    }

    private static FenceStatus status(int code) {
        try {
            return FenceStatus.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("fence message: unknown status code " + code);
        }
    }

    /** A fence message that cannot be decoded. */
    public static final class MalformedMessageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public MalformedMessageException(String message) {
            super(message);
        }
    }

    private static final class Out {
        ByteBuffer buf;

        Out(ByteBuffer buf) {
            this.buf = buf;
        }

        private void ensure(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n))
                    .order(ByteOrder.BIG_ENDIAN);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        Out u8(int v) {
            ensure(1);
            buf.put((byte) v);
            return this;
        }

        Out u16(int v) {
            ensure(2);
            buf.putShort((short) v);
            return this;
        }

        Out i64(long v) {
            ensure(8);
            buf.putLong(v);
            return this;
        }

        Out str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int n = Math.min(b.length, MAX_STRING_BYTES);
            u16(n);
            ensure(n);
            buf.put(b, 0, n);
            return this;
        }
    }

    private static final class In {
        final ByteBuffer buf;

        In(ByteBuffer buf) {
            this.buf = buf;
        }

        int u8(String field) {
            try {
                return buf.get() & 0xff;
            } catch (BufferUnderflowException e) {
                throw truncated(field);
            }
        }

        int u16(String field) {
            try {
                return buf.getShort() & 0xffff;
            } catch (BufferUnderflowException e) {
                throw truncated(field);
            }
        }

        long i64(String field) {
            try {
                return buf.getLong();
            } catch (BufferUnderflowException e) {
                throw truncated(field);
            }
        }

        String str(String field) {
            int at = buf.position();
            int n = u16(field + " length");
            if (n > MAX_STRING_BYTES || n > buf.remaining()) {
                throw new MalformedMessageException("fence message: " + field + " length " + n + " at offset " + at
                    + " exceeds " + (n > MAX_STRING_BYTES ? "the limit " + MAX_STRING_BYTES : "the message"));
            }
            byte[] b = new byte[n];
            buf.get(b);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw new MalformedMessageException("fence message: " + field + " at offset " + at
                    + " is not UTF-8");
            }
        }

        private MalformedMessageException truncated(String field) {
            return new MalformedMessageException("fence message truncated: " + field + " missing at offset "
                + buf.position() + " of " + buf.limit());
        }
    }
}
