package org.ringmaster.totem.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs bin/ringmaster-keygen as a user would, against this build's classes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyGenScriptTest
{
    private static final Path SCRIPT = Path.of("..", "bin", "ringmaster-keygen").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Process start(final Map<String, String> env, final String... args) throws Exception
    {
        final List<String> command = new java.util.ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().putAll(env);
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return pb.start();
    }

    private String finish(final Process p, final int expectedStatus) throws Exception
    {
        try
        {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            final String out = Files.readString(dir.resolve("out.txt"));
            assertThat(p.exitValue()).as(out).isEqualTo(expectedStatus);
            return out;
        }
        finally
        {
            p.destroyForcibly();
        }
    }

    @Test
    void theScriptWritesAnOwnerReadOnlyKeyAndRefusesToOverwriteIt() throws Exception
    {
        final String classes = Path.of(KeyGen.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
        final Path key = dir.resolve("authkey");
        final Map<String, String> env = Map.of("RINGMASTER_CLASSPATH", classes);
        assertThat(finish(start(env, "-k", key.toString(), "-s", "512"), 0)).contains("wrote 512-byte authkey");
        assertThat(Files.size(key)).isEqualTo(512);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("r--------");
        assertThat(finish(start(env, "-k", key.toString()), 1)).contains("already exists");
        assertThat(finish(start(env, "-s", "9"), 2)).contains("out of range");
    }

    @Test
    void withoutAnExplicitClasspathItFindsThisBuild() throws Exception
    {
        final Path key = dir.resolve("authkey");
        assertThat(finish(start(Map.of(), "-k", key.toString()), 0)).contains("wrote 256-byte authkey");
        assertThat(AuthKey.load(key).length()).isEqualTo(256);
    }
}
