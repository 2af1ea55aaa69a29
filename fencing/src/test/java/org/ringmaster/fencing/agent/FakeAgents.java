package org.ringmaster.fencing.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes small shell fence agents into a test's temporary directory. */
final class FakeAgents {

    private FakeAgents() {
    }

    static Path write(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** Records stdin, argv and environment into files next to itself; answers like a healthy agent. */
    static Path echo(Path dir) throws IOException {
        return write(dir, "fence_echo", """
            d=$(dirname "$0")
            cat > "$d/stdin.txt"
            echo "$#" > "$d/argc.txt"
            tr '\\0' ' ' < /proc/$$/cmdline > "$d/cmdline.txt"
            env > "$d/env.txt"
            ps -o args= -p $$ > "$d/ps.txt" 2>/dev/null || true
            action=$(sed -n 's/^action=//p' "$d/stdin.txt")
            case "$action" in
              status) exit 2 ;;
              list) printf 'node1,n1\\nnode2,n2\\n\\nnode3\\n' ;;
            esac
            exit 0
            """);
    }

    /** Starts a grandchild and hangs; the grandchild's pid is written to child.pid. */
    static Path hang(Path dir) throws IOException {
        return write(dir, "fence_hang", """
            d=$(dirname "$0")
            sleep 1000 &
            echo $! > "$d/child.pid"
            wait
            """);
    }

    /** Appends a line to attempts.txt and fails, printing the password it was given. */
    static Path failing(Path dir) throws IOException {
        return write(dir, "fence_failing", """
            d=$(dirname "$0")
            pw=$(sed -n 's/^password=//p')
            echo attempt >> "$d/attempts.txt"
            echo "Failed: login with password $pw denied by 10.0.0.9" >&2
            exit 1
            """);
    }

    /** Fails on the first attempt, succeeds on the second. */
    static Path flaky(Path dir) throws IOException {
        return write(dir, "fence_flaky", """
            d=$(dirname "$0")
            cat > /dev/null
            echo attempt >> "$d/flaky.txt"
            [ "$(wc -l < "$d/flaky.txt")" -ge 2 ] && exit 0
            exit 1
            """);
    }

    /** Prints binary garbage and exits 0 whatever the action. */
    static Path garbage(Path dir) throws IOException {
        return write(dir, "fence_garbage", """
            cat > /dev/null
            printf 'Hello\\001\\377\\376garbage<<<\\n'
            head -c 200000 /dev/zero | tr '\\0' 'x'
            exit 0
            """);
    }
}
