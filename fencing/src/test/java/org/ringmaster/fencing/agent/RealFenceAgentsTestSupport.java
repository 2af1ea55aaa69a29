package org.ringmaster.fencing.agent;

import java.io.IOException;
import java.nio.file.Path;

/** Shared by tests outside this package (and, through the test-jar, the daemon and it tests): package checks and fake agents. */
public final class RealFenceAgentsTestSupport {

    private RealFenceAgentsTestSupport() {
    }

    /** Skips (outside CI) or fails (CI set) when {@code path} is missing. */
    public static void requireInstalled(String path, String debianPackage) {
        RealFenceAgentsTest.requireInstalled(path, debianPackage);
    }

    /** An agent that fails, printing the password and plug it got. */
    public static Path failingAgent(Path dir) throws IOException {
        return FakeAgents.write(dir, "fence_failing", """
            in=$(cat)
            pw=$(echo "$in" | sed -n 's/^password=//p')
            plug=$(echo "$in" | sed -n 's/^plug=//p')
            echo "Failed: plug $plug login with password $pw denied" >&2
            exit 1
            """);
    }

    /** An agent whose list is outlet-1,node1 and outlet-2,node2; other actions succeed and record stdin. */
    public static Path listingAgent(Path dir) throws IOException {
        return FakeAgents.write(dir, "fence_listing", """
            d=$(dirname "$0")
            in=$(cat)
            case "$in" in
              *action=list*) printf 'outlet-1,node1\\noutlet-2,node2\\n' ;;
              *) echo "$in" > "$d/last-stdin.txt" ;;
            esac
            exit 0
            """);
    }
}
