package org.ringmaster.totem.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AuthKeyTest
{
    @TempDir
    Path dir;

    private Path keyFile(final int size, final String mode) throws Exception
    {
        final Path file = dir.resolve("authkey-" + size);
        final byte[] bytes = new byte[size];
        new SecureRandom().nextBytes(bytes);
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 4096})
    void keysOfAllowedSizesLoad(final int size) throws Exception
    {
        final Path file = keyFile(size, "r--------");
        final AuthKey key = AuthKey.load(file);
        assertThat(key.length()).isEqualTo(size);
        assertThat(key.warnings()).isEmpty();
        assertThat(key.material()).isEqualTo(Files.readAllBytes(file));
        assertThat(key).hasToString("AuthKey{" + file + ", " + size + " bytes}"); // never the secret
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 127, 4097, 100_000})
    void keysOfOtherSizesAreRejectedNamingFileAndSize(final int size) throws Exception
    {
        final Path file = keyFile(size, "r--------");
        assertThatThrownBy(() -> AuthKey.load(file))
            .isInstanceOf(AuthKeyException.class)
            .hasMessageContaining(file.toString())
            .hasMessageContaining("is " + size + " bytes")
            .hasMessageContaining("128..4096");
    }

    @Test
    void missingFilesAndDirectoriesAreRejectedByName()
    {
        final Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> AuthKey.load(missing))
            .isInstanceOf(AuthKeyException.class).hasMessageContaining(missing + " does not exist");
        assertThatThrownBy(() -> AuthKey.load(dir))
            .isInstanceOf(AuthKeyException.class).hasMessageContaining(dir + " is not a regular file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "r--r-----", "rw----rw-"})
    void aKeyOthersMayReadLoadsWithAWarning(final String mode) throws Exception
    {
        final Path file = keyFile(256, mode);
        final AuthKey key = AuthKey.load(file);
        assertThat(key.warnings()).singleElement().asString()
            .contains(file.toString()).contains(mode).contains("chmod 0400");
        assertThat(AuthKey.load(keyFile(300, "rw-------")).warnings()).isEmpty();
    }

    @Test
    void aWrittenKeyIsOwnerReadOnlyAndLoadsBack() throws Exception
    {
        final Path file = dir.resolve("sub/dir/authkey");
        final AuthKey key = AuthKey.generate(new SecureRandom(), 512);
        key.writeTo(file, false);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--------");
        assertThat(Files.readAllBytes(file)).isEqualTo(key.material());
        assertThat(AuthKey.load(file).material()).isEqualTo(key.material());
    }

    @Test
    void writingOverAnExistingKeyNeedsForce() throws Exception
    {
        final Path file = dir.resolve("authkey");
        final AuthKey first = AuthKey.generate(new SecureRandom(), 256);
        first.writeTo(file, false);
        final AuthKey second = AuthKey.generate(new SecureRandom(), 256);
        assertThatThrownBy(() -> second.writeTo(file, false))
            .isInstanceOf(AuthKeyException.class).hasMessageContaining(file + " already exists");
        assertThat(Files.readAllBytes(file)).isEqualTo(first.material());
        second.writeTo(file, true);
        assertThat(Files.readAllBytes(file)).isEqualTo(second.material());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--------");
        try (var files = Files.list(dir))
        {
            assertThat(files).containsExactly(file); // no temporary left behind
        }
    }

    @Test
    void generateAndOfCheckTheSize()
    {
        assertThatThrownBy(() -> AuthKey.generate(new SecureRandom(), 64)).hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> AuthKey.of(new byte[5000])).hasMessageContaining("5000 bytes");
    }

    @Test
    void keygenWritesAKeyWithMode0400() throws Exception
    {
        final Path file = dir.resolve("etc/ringmaster/authkey");
        final Result r = keygen("-k", file.toString());
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.out).contains("256-byte authkey").contains(file.toString());
        assertThat(Files.size(file)).isEqualTo(AuthKey.DEFAULT_BYTES);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--------");
        assertThat(AuthKey.load(file).warnings()).isEmpty();
    }

    @Test
    void keygenRefusesToOverwriteUnlessForced() throws Exception
    {
        final Path file = dir.resolve("authkey");
        assertThat(keygen("--key-file", file.toString(), "--size", "4096").status).isZero();
        final byte[] before = Files.readAllBytes(file);
        final Result refused = keygen("-k", file.toString());
        assertThat(refused.status).isEqualTo(1);
        assertThat(refused.err).contains(file + " already exists").contains("--force");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        final Result forced = keygen("-k", file.toString(), "-s", "128", "-f", "-l");
        assertThat(forced.status).as(forced.err).isZero();
        assertThat(Files.size(file)).isEqualTo(128);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--------");
    }

    @Test
    void keygenRejectsBadUsage()
    {
        assertThat(keygen("-s", "100").err).contains("-s 100 is out of range 128..4096");
        assertThat(keygen("-s", "100").status).isEqualTo(2);
        assertThat(keygen("-s", "lots").err).contains("lots is not a number");
        assertThat(keygen("-k").err).contains("-k needs a file name");
        assertThat(keygen("--bogus").status).isEqualTo(2);
        assertThat(keygen("--bogus").err).contains("unknown option --bogus").contains("usage:");
        assertThat(keygen("-h").out).contains("usage: ringmaster-keygen");
        assertThat(keygen("-h").status).isZero();
    }

    @Test
    void keygenReportsAnUnwritableLocation() throws Exception
    {
        final Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        final Result r = keygen("-k", blocker.resolve("authkey").toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.err).contains("cannot write authkey").contains(blocker.toString());
    }

    record Result(int status, String out, String err)
    {
    }

    static Result keygen(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = KeyGen.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
