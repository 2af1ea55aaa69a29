package org.ringmaster.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.daemon.client.RingmasterClient;

/**
 * Who may use the admin socket, with real users: ringmasterd runs as root with
 * {@code --socket-group nogroup}; {@code ringctl} runs as {@code nobody} (through setpriv) with
 * different groups. The kernel's file mode check and the daemon's peer-credential check each refuse
 * a client, with a clear message, and the daemon keeps serving. Needs root (CI runs as root).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SocketAccessTest {

    @TempDir
    Path dir;

    @Test
    void onlyRootTheDaemonsUserAndTheSocketGroupGetIn() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        assumeThat(root || System.getenv("CI") != null)
                .as("runs clients as user nobody through setpriv, which needs root (CI runs as root)").isTrue();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path lib = worldReadableClasspath();
        try (DaemonCluster cluster = DaemonCluster.create(dir, 1)) {
            Process daemon = cluster.start(1, "--socket-group", "nogroup");
            await().atMost(Duration.ofSeconds(40)).until(() -> cluster.status(1) != null);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cluster.socket(1))))
                    .isEqualTo("rw-rw----");

            Result member = asNobody(lib, cluster.socket(1), "--regid=nogroup", "--clear-groups");
            assertThat(member.code()).as(member.output()).isZero();
            assertThat(member.output()).contains("node 1 (n1) at 127.0.0.1");

            // In the socket's group only as a supplementary group: the kernel lets it connect, the
            // daemon (which sees the primary group) refuses it.
            Result refused = asNobody(lib, cluster.socket(1), "--regid=daemon", "--groups=nogroup");
            assertThat(refused.code()).as(refused.output()).isEqualTo(1);
            assertThat(refused.output()).contains("refused: user nobody (group daemon) may not use this socket; "
                    + "allowed: root, members of group nogroup");

            Result denied = asNobody(lib, cluster.socket(1), "--regid=daemon", "--clear-groups");
            assertThat(denied.code()).as(denied.output()).isEqualTo(1);
            assertThat(denied.output()).contains("cannot connect to ringmasterd at " + cluster.socket(1))
                    .contains("Permission denied");

            assertThat(daemon.isAlive()).isTrue();
            try (RingmasterClient client = RingmasterClient.connect(cluster.socket(1))) {
                assertThat(client.status().nodeId()).isEqualTo(1);
                assertThat(client.metrics()).containsEntry("ringmaster.admin.refused{}", "1");
            }
            assertThat(Files.readString(cluster.log(1))).contains("admin socket: refused: user nobody (group daemon)");
        }
    }

    private record Result(int code, String output) {
    }

    /** ringctl status as user nobody with the given setpriv group options. */
    private Result asNobody(Path lib, Path socket, String... groupOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=nobody"));
        command.addAll(List.of(groupOptions));
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", lib + "/*",
                "org.ringmaster.daemon.cli.Ringctl", "status", "--socket", socket.toString()));
        Path out = dir.resolve("nobody-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ringctl as nobody finished").isTrue();
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /** The daemon's jar and dependencies copied where nobody can read them (the build may live in /root). */
    private Path worldReadableClasspath() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path target = DaemonCluster.ROOT.resolve("daemon/target");
        List<Path> jars = new ArrayList<>();
        for (String entry : Files.readString(target.resolve("classpath.txt")).trim().split(":")) {
            jars.add(Path.of(entry));
        }
        try (Stream<Path> built = Files.list(target)) {
            built.filter(p -> p.getFileName().toString().matches("ringmaster-daemon-.*[0-9T]\\.jar"))
                    .forEach(jars::add);
        }
        assertThat(jars).as("daemon/target has the daemon jar (mvn package)")
                .anyMatch(p -> p.getFileName().toString().startsWith("ringmaster-daemon-"));
        for (Path jar : jars) {
            Path copy = lib.resolve(jar.getFileName());
            Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
        return lib;
    }
}
