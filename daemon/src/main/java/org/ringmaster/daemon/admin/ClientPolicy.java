package org.ringmaster.daemon.admin;

import java.util.Optional;

/**
 * Who may use the admin socket: root, the user the daemon runs as, and, when a socket group is
 * configured, users whose primary group it is. The socket file's mode (0600, or 0660 with the
 * group) already keeps others out; this check also covers a socket directory with looser
 * permissions, and gives a clear refusal instead of a silent one.
 *
 * @param daemonUser the user the daemon runs as
 * @param group      the socket group, if any
 */
public record ClientPolicy(String daemonUser, Optional<String> group) {

    /** Null when the peer may talk to the daemon, else why not. */
    public String refusal(String peerUser, String peerGroup) {
        if ("root".equals(peerUser) || daemonUser.equals(peerUser)) {
            return null;
        }
        if (group.isPresent() && group.get().equals(peerGroup)) {
            return null;
        }
        return "refused: user " + peerUser + " (group " + peerGroup + ") may not use this socket; allowed: root"
                + ("root".equals(daemonUser) ? "" : ", " + daemonUser) + group.map(g -> ", members of group " + g).orElse("")
                + " (ringmasterd --socket-group GROUP lets a group in)";
    }
}
