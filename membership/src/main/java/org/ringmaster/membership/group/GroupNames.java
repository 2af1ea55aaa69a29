package org.ringmaster.membership.group;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.agrona.DirectBuffer;

/** The rules for group names, shared by the API (which throws) and the decoders (which drop). */
final class GroupNames
{
    private GroupNames()
    {
    }

    /** @return why {@code name} is not a valid group name, or {@code null} if it is. */
    static String problem(final String name)
    {
        if (name == null || name.isEmpty())
        {
            return "group name is empty";
        }
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > GroupMessageFlyweight.MAX_NAME_LENGTH)
        {
            return "group name is " + bytes.length + " UTF-8 bytes, longer than " +
                GroupMessageFlyweight.MAX_NAME_LENGTH;
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            // Control characters make logs ambiguous; U+FFFD is what malformed UTF-8 decodes to.
            if (Character.isISOControl(c) || c == '\uFFFD' || Character.isSurrogate(c) && !validSurrogate(name, i))
            {
                return "group name has an invalid character at index " + i;
            }
        }
        return null;
    }

    /** The UTF-8 bytes of a name, after checking it. */
    static byte[] encode(final String name)
    {
        final String problem = problem(name);
        if (problem != null)
        {
            throw new IllegalArgumentException(problem + ": " + printable(name));
        }
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** Decode a name from the wire, or {@code null} if the bytes are not a valid name. */
    static String decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        final String name = new String(bytes, StandardCharsets.UTF_8);
        // Malformed UTF-8 does not survive the round trip.
        if (!Arrays.equals(bytes, name.getBytes(StandardCharsets.UTF_8)) || problem(name) != null)
        {
            return null;
        }
        return name;
    }

    private static boolean validSurrogate(final String s, final int i)
    {
        final char c = s.charAt(i);
        if (Character.isHighSurrogate(c))
        {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static String printable(final String name)
    {
        if (name == null)
        {
            return "null";
        }
        final StringBuilder sb = new StringBuilder("\"");
        name.codePoints().limit(64).forEach(cp -> sb.append(Character.isISOControl(cp) ?
            String.format("\\u%04x", cp) : new String(Character.toChars(cp))));
        return sb.append(name.length() > 64 ? "...\"" : "\"").toString();
    }
}
