package org.ringmaster.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** What the tests need from the host: scripts in temp dirs, root, installed packages, CI detection. */
public final class TestHost {
    private TestHost() {
    }

    /** Writes an executable script (a shebang line is added if the body has none). */
    public static Path script(Path dir, String name, String body) {
        try {
            Files.createDirectories(dir);
            Path p = dir.resolve(name);
            Files.writeString(p, body.startsWith("#!") ? body : "#!/bin/sh\n" + body);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when running in CI ({@code CI} set), where nothing may be skipped. */
    public static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isEmpty() && !ci.equals("false");
    }

    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /**
     * Skips the test (outside CI only) when a precondition is missing; in CI a missing precondition fails
     * the test, naming what to install.
     */
    public static void require(boolean present, String what) {
        if (inCi()) {
            assertThat(present).as("CI must provide: " + what).isTrue();
        }
        Assumptions.assumeTrue(present, "skipped outside CI: needs " + what);
    }

    /** Requires root and the given programs on the PATH. */
    public static void requireRootAnd(List<String> programs, String packages) {
        require(isRoot(), "root");
        for (String prog : programs) {
            require(onPath(prog), prog + " (Debian " + packages + ")");
        }
    }

    /** Pids of live processes whose command line contains every given word. */
    public static List<Long> processesMatching(String... words) {
        List<Long> out = new java.util.ArrayList<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : dirs) {
                try {
                    String cmd = new String(Files.readAllBytes(d.resolve("cmdline"))).replace('\0', ' ');
                    var st = org.ringmaster.agents.process.ProcStat.read(d.resolve("stat"));
                    if (st != null && st.state() != 'Z' && java.util.Arrays.stream(words).allMatch(cmd::contains)) {
                        out.add(st.pid());
                    }
                } catch (IOException e) {
                    // process went away
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The lines of a file, or an empty list if it does not exist. */
    public static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", program)) || Files.isExecutable(Path.of("/sbin", program));
    }
}
