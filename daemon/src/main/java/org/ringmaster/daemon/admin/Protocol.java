package org.ringmaster.daemon.admin;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The admin socket's protocol, version {@value #VERSION}: UTF-8 lines ending in {@code \n}, so it
 * can be spoken with {@code socat - UNIX-CONNECT:/run/ringmaster/ringmasterd.sock}.
 *
 * <pre>
 * client: RINGMASTER 1                      first line: the protocol version
 * server: RINGMASTER 1 node &lt;id&gt;            or ERR &lt;why&gt; and the connection is closed
 * client: &lt;verb&gt; [arguments]
 * server: OK                                then zero or more "&lt;key&gt; &lt;value&gt;" lines, then END
 *         ...
 *         END
 *    or:  ERR &lt;why&gt;                          the request failed; the connection stays usable
 * </pre>
 *
 * Words are separated by single spaces (an empty payload is an empty last word). Verbs: {@code ping}; {@code status}; {@code members} (one {@code member <id> <name> <address>}
 * per member); {@code quorum}; {@code metrics} (one {@code metric <name>{tags} <value>} per
 * measurement); {@code send <group> agreed|safe <base64 payload>}; {@code subscribe <group>|-}.
 * After {@code subscribe} the server also writes, at any time between responses,
 * <pre>
 * EVENT config &lt;regular|transitional&gt; &lt;ring seq&gt; &lt;rep&gt; &lt;members&gt; &lt;joined&gt; &lt;left&gt; &lt;reason&gt;
 * EVENT message &lt;group&gt; &lt;sender&gt; &lt;agreed|safe&gt; &lt;base64 payload&gt;
 * </pre>
 * where node lists are comma-separated ids or {@code -} for none. A client that does not read its
 * events fast enough is told {@code ERR slow consumer} and disconnected. Lines longer than
 * {@value #MAX_LINE} bytes are refused with an error.
 */
public final class Protocol {

    public static final int VERSION = 1;
    public static final String HELLO = "RINGMASTER " + VERSION;
    public static final String OK = "OK";
    public static final String END = "END";
    public static final String ERR = "ERR";
    public static final String EVENT = "EVENT";
    /** Longest line: a 1 MiB message in base64 plus the verb and group. */
    public static final int MAX_LINE = 2 * 1024 * 1024;

    private Protocol() {
    }

    /** {@code 1,2,3}, or {@code -} when empty. */
    public static String ids(int[] ids) {
        return ids.length == 0 ? "-" : Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /** The inverse of {@link #ids}. */
    public static int[] parseIds(String text) {
        if (text.equals("-")) {
            return new int[0];
        }
        return Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
