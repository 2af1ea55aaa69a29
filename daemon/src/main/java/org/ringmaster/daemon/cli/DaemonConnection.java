package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ringmaster.daemon.client.RingmasterClient;
import org.ringmaster.daemon.node.NodeSettings;
import picocli.CommandLine.Option;

/** {@code --socket} and {@code --json}, shared by every command that talks to a running daemon. */
final class DaemonConnection {

    @Option(names = "--socket", paramLabel = "PATH",
            description = "the daemon's admin socket (default: $RINGMASTER_SOCKET, else "
                    + "/run/ringmaster/ringmasterd.sock)")
    Path socket;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    Path socket() {
        if (socket != null) {
            return socket;
        }
        String env = System.getenv("RINGMASTER_SOCKET");
        return env != null && !env.isEmpty() ? Path.of(env) : NodeSettings.DEFAULT_SOCKET;
    }

    RingmasterClient connect() throws IOException {
        return RingmasterClient.connect(socket());
    }
}
