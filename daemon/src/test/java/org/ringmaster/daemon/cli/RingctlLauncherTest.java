package org.ringmaster.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** bin/ringctl started as a separate process, as an admin would: classpath file, exit codes, output. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RingctlLauncherTest {

    private static final Path SCRIPT = Path.of("..", "bin", "ringctl");

    private record Result(int code, String output) {
    }

    private static Result launch(Path dir, String... args) throws IOException, InterruptedException {
        assertThat(SCRIPT).isRegularFile();
        assertThat(Path.of("target", "classpath.txt")).as("written by the build (daemon/pom.xml)").isRegularFile();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("ringctl.out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA", java);
        // The test phase runs before packaging: use this build's classes, not an older jar.
        pb.environment().put("RINGCTL_USE_CLASSES", "1");
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("bin/ringctl did not finish in 60 s");
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void checksGoodAndBadFiles(@TempDir Path dir) throws Exception {
        Result good = launch(dir, "config", "check", "src/test/resources/conf/good/two-node.conf");
        assertThat(good.code()).as(good.output()).isEqualTo(Ringctl.OK);
        assertThat(good.output()).contains("two-node.conf: ok (0 warnings): cluster 'pair'");

        Result bad = launch(dir, "config", "check", "src/test/resources/conf/bad/missing-colon.conf");
        assertThat(bad.code()).as(bad.output()).isEqualTo(Ringctl.INVALID);
        assertThat(bad.output()).contains("missing-colon.conf:4:5: error: totem.token 3000");

        Result usage = launch(dir, "config", "check");
        assertThat(usage.code()).isEqualTo(Ringctl.USAGE);
        assertThat(usage.output()).contains("Missing required parameter");
    }
}
