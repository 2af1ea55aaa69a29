package org.ringmaster.agents.process;

import java.nio.charset.StandardCharsets;

/**
 * The last {@code capacity} bytes written by an agent (stdout and stderr interleaved), so that an agent
 * printing megabytes costs a fixed amount of memory. Thread-safe: both stream readers write into one tail.
 */
final class OutputTail {
    private final byte[] ring;
    private long written;

    OutputTail(int capacity) {
        this.ring = new byte[capacity];
    }

    synchronized void write(byte[] buf, int off, int len) {
        if (ring.length == 0) {
            written += len;
            return;
        }
        // Only the last ring.length bytes of a big chunk can survive.
        int skip = Math.max(0, len - ring.length);
        written += skip;
        for (int i = off + skip; i < off + len; i++) {
            ring[(int) (written % ring.length)] = buf[i];
            written++;
        }
    }

    /** Total bytes ever written, including those dropped. */
    synchronized long written() {
        return written;
    }

    /** The kept bytes as text, non-printable characters replaced, prefixed with a marker if bytes were dropped. */
    synchronized String text() {
        int kept = (int) Math.min(written, ring.length);
        byte[] out = new byte[kept];
        long start = written - kept;
        for (int i = 0; i < kept; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        String s = sanitize(new String(out, StandardCharsets.UTF_8));
        return start > 0 ? "[" + start + " earlier bytes dropped]\n" + s : s;
    }

    static String sanitize(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c == '\n' || c == '\t' || (c >= ' ' && c != 0x7f && c != '\uFFFD') ? c : '?');
        }
        return b.toString();
    }
}
