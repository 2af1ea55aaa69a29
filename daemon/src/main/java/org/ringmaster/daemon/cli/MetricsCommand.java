package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import org.ringmaster.daemon.client.RingmasterClient;
import picocli.CommandLine.Command;

/** {@code ringctl metrics}: every ringmaster.* meter of the node. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Print the node's ringmaster.* meters, one 'name{tags} value' per line.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:the daemon cannot be reached or refused", "2:bad command line"})
final class MetricsCommand extends DaemonQuery {

    @Override
    void print(RingmasterClient client, PrintWriter out, boolean json) throws IOException {
        Map<String, String> metrics = client.metrics();
        if (json) {
            out.println(JsonWriter.object(metrics));
            return;
        }
        metrics.forEach((name, value) -> out.println(name + " " + value));
    }
}
