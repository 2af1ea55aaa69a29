package org.ringmaster.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crm section's agent paths reach the node's resource manager: with {@code ocf-root} pointing at a directory of
 * the test's, its OCF agent {@code ocf:test:Hello} runs the resource; with {@code lsb-directory} likewise an init
 * script {@code lsb:hello}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrmAgentPathsTest {

    private static void script(Path file, String body) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void ocfRootAndLsbDirectoryFromTheCrmSectionAreWhereAgentsAreFound(@TempDir Path dir) throws Exception {
        Path ocfState = dir.resolve("hello-ocf.running");
        Path lsbState = dir.resolve("hello-lsb.running");
        script(dir.resolve("ocf/resource.d/test/Hello"), """
                case "$1" in
                  meta-data) echo '<resource-agent name="Hello"><parameters/><actions/></resource-agent>' ;;
                  start) touch @S@ ;;
                  stop) rm -f @S@ ;;
                  monitor) [ -f @S@ ] || exit 7 ;;
                esac
                exit 0
                """.replace("@S@", ocfState.toString()));
        script(dir.resolve("init.d/hello"), """
                case "$1" in
                  start) touch @S@ ;;
                  stop) rm -f @S@ ;;
                  status) [ -f @S@ ] || exit 3 ;;
                esac
                exit 0
                """.replace("@S@", lsbState.toString()));
        Path seed = dir.resolve("resources.conf");
        Files.writeString(seed, """
                resources {
                  options {
                    fencing-enabled: false
                  }
                  primitive {
                    id: hello-ocf
                    agent: ocf:test:Hello
                  }
                  primitive {
                    id: hello-lsb
                    agent: lsb:hello
                  }
                }
                """);
        String text = LocalCluster.configText(dir, 1, LocalCluster.randomPort()) + "crm {\n plugin: simple\n config: "
                + seed + "\n ocf-root: " + dir.resolve("ocf") + "\n lsb-directory: " + dir.resolve("init.d")
                + "\n max-concurrent-actions: 1\n}\n";
        try (LocalCluster c = LocalCluster.start(dir, 1, text)) {
            await().atMost(Duration.ofSeconds(25)).until(() -> Files.exists(ocfState) && Files.exists(lsbState));
            assertThat(c.node(1).node().crm()).isPresent();
        }
    }
}
