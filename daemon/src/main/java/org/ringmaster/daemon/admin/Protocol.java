package org.ringmaster.daemon.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.group.GroupMember;
import org.ringmaster.membership.group.GroupView;
import org.ringmaster.membership.group.MemberChange;

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
 * Words are separated by single spaces (an empty payload is an empty last word). Verbs:
 * <ul>
 *   <li>{@code ping}; {@code status}; {@code members} (one {@code member <id> <name> <address>} per
 *       member); {@code quorum} (the votes, one {@code node <id> <votes> <expected> <state>} per node,
 *       and with a quorum device {@code device_model}, {@code device_votes}, {@code device_casts_vote},
 *       {@code device_score} and one {@code device.<key> <value>} per detail the device reports);
 *       {@code metrics} (one {@code metric <name>{tags} <value>} per measurement); {@code links}
 *       ({@code mode single|passive|active}, one {@code local <link> <address>} per link, then one
 *       {@code link <link> <nodeid> <name> <address> connected|down heartbeat|membership} per peer and
 *       link);</li>
 *   <li>{@code reload}: every member of the node's configuration re-reads its configuration file,
 *       applies what is safe and reports; answers one {@code report <node> <line>} per line of each
 *       node's report (first line {@code reloaded FILE...} or {@code not reloaded: ...}, then one line
 *       per changed key: {@code applied: ...}, {@code restart needed: ...} or {@code failed: ...});
 *       waits up to 20 s for the reports;</li>
 *   <li>{@code subscribe}: this connection receives configuration changes from now on;</li>
 *   <li>{@code join <group>}: this connection becomes a member of a process group (answer:
 *       {@code member <node>/<member>} and {@code state joined}, or {@code state joining} if its
 *       join was not ordered within 10 s); it receives the group's views and messages until
 *       {@code leave <group>} or until the connection closes, which leaves every group it joined;</li>
 *   <li>{@code send <group> agreed|safe <base64 payload>}: multicast as this connection's member;</li>
 *   <li>{@code groups}: the groups this node's clients are in, with their last views;</li>
 *   <li>{@code crm <word>...}: one command of the simple CRM ({@code resource list}, {@code node standby n2},
 *       ...; arguments are single words): answers {@code exit <code>} (0 ok, 1 failed, 2 usage, 3 not
 *       confirmed in time) and one {@code text <line>} per line of its output; {@code ERR} if no CRM runs
 *       on the node or its plugin has no commands here;</li>
 *   <li>{@code crmstatus}: the CRM's state as tab-separated lines, the first field naming the kind:
 *       {@code crm running|none}, {@code dc NAME}, {@code quorate yes|no}, {@code synced yes|no},
 *       {@code epoch N}, {@code transition TEXT}, {@code config_error TEXT},
 *       {@code node NAME online|lost|offline standby|- maintenance|- [ATTR VALUE]...},
 *       {@code resource INSTANCE AGENT GROUP|"" STATE NODE|""}, {@code failed INSTANCE NODE OP RC},
 *       {@code failcount INSTANCE NODE COUNT},
 *       {@code fencing TARGET ACTION STATUS EXECUTOR DEVICE COMPLETED-AT DETAIL} (oldest first). Clients skip
 *       kinds they do not know;</li>
 *   <li>{@code fence ...}: the node's fencer ({@code ERR} if the configuration has no {@code fencing} section):
 *       <ul>
 *         <li>{@code fence history [NODE]}: every operation the node learnt, oldest first, as
 *             {@code op <id> <target> <action> <status> <origin> <executor|-> <device|-> <completed epoch ms>
 *             <detail...>}, each followed by its device runs,
 *             {@code attempt <level> <device> <action> ok|failed <detail...>};</li>
 *         <li>{@code fence request NODE off|reboot WAIT_MS}: fences NODE through the cluster's fencer and
 *             answers its result as in the history, or {@code pending NODE} if it did not end within
 *             WAIT_MS;</li>
 *         <li>{@code fence confirm NODE WAIT_MS}: manual fencing, the admin vouches NODE is off; answers the
 *             recorded result, or {@code pending NODE};</li>
 *         <li>{@code fence test DEVICE}: {@code check <device> <agent> <action> ok|failed <detail...>}
 *             (monitor/status, nothing is fenced);</li>
 *         <li>{@code fence devices}: {@code device <name> <agent> <nodes it can fence|-> <how decided...>}
 *             per device, then {@code level <node> <index> <devices>} per configured topology level.</li>
 *       </ul></li>
 * </ul>
 * Group names on this socket are 1..64 characters of {@code A-Z a-z 0-9 . _ -}. Events, written at
 * any time between responses:
 * <pre>
 * EVENT config &lt;regular|transitional&gt; &lt;ring seq&gt; &lt;rep&gt; &lt;members&gt; &lt;joined&gt; &lt;left&gt; &lt;reason&gt;
 * EVENT view &lt;group&gt; &lt;view id, hex&gt; &lt;ring seq&gt; &lt;rep&gt; &lt;regular|changing&gt; &lt;members&gt; &lt;joined&gt; &lt;left&gt; &lt;cause|-&gt;
 * EVENT message &lt;group&gt; &lt;node&gt;/&lt;member&gt; &lt;agreed|safe&gt; &lt;base64 payload&gt;
 * </pre>
 * where node lists are comma-separated ids, group member lists comma-separated
 * {@code node/member}, joined and left lists {@code node/member:REASON}, and {@code -} stands for
 * an empty list. A client that does not read its events fast enough is told
 * {@code ERR slow consumer} and disconnected. Lines longer than {@value #MAX_LINE} bytes are
 * refused with an error.
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

    /** Longest group name on the socket. */
    public static final int MAX_GROUP_LENGTH = 64;
    private static final java.util.regex.Pattern GROUP =
            java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1," + MAX_GROUP_LENGTH + "}");

    /** Null if {@code group} may be used on the socket, else what is wrong with it. */
    public static String checkGroup(String group) {
        if (group == null || !GROUP.matcher(group).matches()) {
            return "group name '" + group + "' must be 1.." + MAX_GROUP_LENGTH + " characters of A-Z a-z 0-9 . _ -";
        }
        return null;
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

    /** A view's event text, after {@code EVENT }: {@code view <group> <id> <seq> <rep> <regular|changing> ...}. */
    public static String view(GroupView v) {
        return "view " + v.group() + " " + Long.toHexString(v.viewId()) + " " + v.ringSeq() + " " + v.ringRep() + " "
                + (v.regular() ? "regular" : "changing") + " " + members(v.members()) + " " + changes(v.joined()) + " "
                + changes(v.left()) + " " + (v.cause() == null ? "-" : v.cause().name());
    }

    /** The inverse of {@link #view}, from its words ({@code words[0]} is {@code view}). */
    public static GroupView parseView(String[] w) {
        if (w.length != 10 || !w[0].equals("view")) {
            throw new IllegalArgumentException("not a view event: " + String.join(" ", w));
        }
        return new GroupView(w[1], Long.parseUnsignedLong(w[2], 16), Long.parseLong(w[3]), Integer.parseInt(w[4]),
                w[5].equals("regular"), parseMembers(w[6]), parseChanges(w[7]), parseChanges(w[8]),
                w[9].equals("-") ? null : ConfigurationChange.Reason.valueOf(w[9]));
    }

    /** {@code 1/1,2/4}, or {@code -}. */
    public static String members(List<GroupMember> members) {
        return members.isEmpty() ? "-" : members.stream().map(GroupMember::toString).collect(Collectors.joining(","));
    }

    /** {@code node/member}. */
    public static GroupMember parseMember(String text) {
        int slash = text.indexOf('/');
        return new GroupMember(Integer.parseInt(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
    }

    public static List<GroupMember> parseMembers(String text) {
        return text.equals("-") ? List.of() : Arrays.stream(text.split(",")).map(Protocol::parseMember).toList();
    }

    static String changes(List<MemberChange> changes) {
        return changes.isEmpty() ? "-" : changes.stream().map(c -> c.member() + ":" + c.reason().name())
                .collect(Collectors.joining(","));
    }

    static List<MemberChange> parseChanges(String text) {
        if (text.equals("-")) {
            return List.of();
        }
        List<MemberChange> changes = new ArrayList<>();
        for (String c : text.split(",")) {
            int colon = c.indexOf(':');
            changes.add(new MemberChange(parseMember(c.substring(0, colon)),
                    MemberChange.Reason.valueOf(c.substring(colon + 1))));
        }
        return changes;
    }
}
