package org.ringmaster.daemon.node;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The daemon's use of the ring: every ordered message starts with a one-byte service tag, so
 * votequorum and the clients' messages share one EVS channel. A client message is
 * {@code [tag 2][u8 group length][group, US-ASCII][payload]}.
 *
 * <p>This is a seam: when the process-group API (membership's group package) is wired in, it gets
 * its own tag and client messages become group messages.
 */
public final class ClientMessages {

    /** votequorum's messages. */
    static final byte QUORUM = 1;
    /** Messages sent by socket clients to a named group. */
    static final byte CLIENT = 2;
    /** Longest group name. */
    public static final int MAX_GROUP_LENGTH = 64;
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_GROUP_LENGTH + "}");

    private ClientMessages() {
    }

    /** Null if {@code group} is a valid group name, else what is wrong with it. */
    public static String checkGroup(String group) {
        if (group == null || !GROUP.matcher(group).matches()) {
            return "group name '" + group + "' must be 1.." + MAX_GROUP_LENGTH + " characters of A-Z a-z 0-9 . _ -";
        }
        return null;
    }

    static int encodedLength(String group, int payloadLength) {
        return 2 + group.length() + payloadLength;
    }

    /** Writes a client message; returns its length. The group must have passed {@link #checkGroup}. */
    static int encode(MutableDirectBuffer buffer, int offset, String group, byte[] payload) {
        byte[] name = group.getBytes(StandardCharsets.US_ASCII);
        buffer.putByte(offset, CLIENT);
        buffer.putByte(offset + 1, (byte) name.length);
        buffer.putBytes(offset + 2, name);
        buffer.putBytes(offset + 2 + name.length, payload);
        return 2 + name.length + payload.length;
    }

    /** The group of a client message at {@code offset} (tag included), or null if malformed. */
    static String group(DirectBuffer buffer, int offset, int length) {
        if (length < 2) {
            return null;
        }
        int n = buffer.getByte(offset + 1) & 0xff;
        if (n < 1 || n > MAX_GROUP_LENGTH || 2 + n > length) {
            return null;
        }
        String group = buffer.getStringWithoutLengthAscii(offset + 2, n);
        return checkGroup(group) == null ? group : null;
    }

    /** The payload of a client message whose group is {@code group}. */
    static byte[] payload(DirectBuffer buffer, int offset, int length, String group) {
        int start = 2 + group.length();
        byte[] payload = new byte[length - start];
        buffer.getBytes(offset + start, payload);
        return payload;
    }
}
