package org.ringmaster.totem.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's shared secret: 128..4096 random bytes, the same file on every node (like
 * corosync's {@code /etc/corosync/authkey}). Datagram keys are derived from it, never used raw.
 *
 * <p>The key bytes never leave this package and are never printed; {@link #toString()} shows
 * only where the key came from and its size.
 */
public final class AuthKey
{
    public static final int MIN_BYTES = 128;
    public static final int MAX_BYTES = 4096;
    /** Size written by the keygen when none is given (2048 bits, corosync-keygen's default). */
    public static final int DEFAULT_BYTES = 256;
    public static final Path DEFAULT_PATH = Path.of("/etc/ringmaster/authkey");

    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_READ_ONLY =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--------"));

    /** Loaded on first use, so the keygen runs with nothing but this module on the classpath. */
    private static final class Log
    {
        static final Logger LOG = LoggerFactory.getLogger(AuthKey.class);
    }

    private final byte[] material;
    private final String origin;
    private final List<String> warnings;

    private AuthKey(final byte[] material, final String origin, final List<String> warnings)
    {
        this.material = material;
        this.origin = origin;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Read and check an authkey file: it must exist, be a regular file and hold 128..4096 bytes.
     * A file that group or others may access is accepted with a logged warning (see {@link #warnings()}).
     *
     * @throws AuthKeyException naming the file and the problem.
     */
    public static AuthKey load(final Path file)
    {
        final List<String> warnings = new ArrayList<>();
        try
        {
            if (!Files.isRegularFile(file))
            {
                throw new AuthKeyException(Files.exists(file) ?
                    "authkey " + file + " is not a regular file" :
                    "authkey " + file + " does not exist (create it with ringmaster-keygen -k " + file + ")");
            }
            final byte[] bytes;
            try (InputStream in = Files.newInputStream(file))
            {
                // Read one byte past the limit so a huge file is refused without reading all of it.
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length < MIN_BYTES || bytes.length > MAX_BYTES)
            {
                final long size = bytes.length > MAX_BYTES ? Files.size(file) : bytes.length;
                Arrays.fill(bytes, (byte)0);
                throw new AuthKeyException("authkey " + file + " is " + size + " bytes; it must be "
                    + MIN_BYTES + ".." + MAX_BYTES + " bytes (make one with ringmaster-keygen)");
            }
            final String problem = permissionProblem(file);
            if (problem != null)
            {
                warnings.add(problem);
                Log.LOG.warn(problem);
            }
            return new AuthKey(bytes, file.toString(), warnings);
        }
        catch (final NoSuchFileException ex)
        {
            throw new AuthKeyException("authkey " + file + " does not exist", ex);
        }
        catch (final IOException ex)
        {
            throw new AuthKeyException("cannot read authkey " + file + ": " + ex, ex);
        }
    }

    /** A fresh random key of {@code size} bytes (128..4096). */
    public static AuthKey generate(final SecureRandom random, final int size)
    {
        checkSize(size, "generated key");
        final byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return new AuthKey(bytes, "generated", List.of());
    }

    /** For tests and tools that hold key bytes in memory; the array is copied. */
    public static AuthKey of(final byte[] bytes)
    {
        checkSize(bytes.length, "in-memory key");
        return new AuthKey(bytes.clone(), "in-memory", List.of());
    }

    private static void checkSize(final int size, final String what)
    {
        if (size < MIN_BYTES || size > MAX_BYTES)
        {
            throw new AuthKeyException(
                what + " of " + size + " bytes: an authkey must be " + MIN_BYTES + ".." + MAX_BYTES + " bytes");
        }
    }

    /**
     * Write this key to {@code file} with mode 0400, creating missing parent directories. An
     * existing file is kept unless {@code force}; with {@code force} it is replaced atomically, so
     * a reader never sees half a key. A failed write leaves no partial file behind.
     */
    public void writeTo(final Path file, final boolean force)
    {
        final Path parent = file.toAbsolutePath().getParent();
        try
        {
            Files.createDirectories(parent);
        }
        catch (final IOException ex)
        {
            throw new AuthKeyException("cannot write authkey " + file + ": cannot create directory " + parent
                + " (" + ex + ")", ex);
        }
        try
        {
            if (!force)
            {
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS))
                {
                    throw new AuthKeyException("authkey " + file + " already exists; refusing to overwrite it"
                        + " (use --force to replace it; every node needs the same key)");
                }
                writeNew(file);
                return;
            }
            final Path temp = parent.resolve("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.deleteIfExists(temp);
            writeNew(temp);
            try
            {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            finally
            {
                Files.deleteIfExists(temp);
            }
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new AuthKeyException("authkey " + file + " already exists; refusing to overwrite it", ex);
        }
        catch (final IOException ex)
        {
            throw new AuthKeyException("cannot write authkey " + file + ": " + ex, ex);
        }
    }

    /** Create a file that did not exist, mode 0400 from the start, so it is never readable by others. */
    private void writeNew(final Path file) throws IOException
    {
        boolean done = false;
        try (SeekableByteChannel out = Files.newByteChannel(file,
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_READ_ONLY))
        {
            final ByteBuffer data = ByteBuffer.wrap(material);
            while (data.hasRemaining())
            {
                out.write(data);
            }
            done = true;
        }
        finally
        {
            if (!done)
            {
                Files.deleteIfExists(file);
            }
        }
        // umask can only remove bits, but be explicit: the key is for its owner only.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    }

    /** A sentence about group/other access to the file, or null when only the owner may use it. */
    static String permissionProblem(final Path file) throws IOException
    {
        final Set<PosixFilePermission> permissions;
        try
        {
            permissions = Files.getPosixFilePermissions(file);
        }
        catch (final UnsupportedOperationException ex)
        {
            return null;
        }
        final Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
        loose.addAll(permissions);
        loose.retainAll(GROUP_OR_OTHER);
        if (loose.isEmpty())
        {
            return null;
        }
        return "authkey " + file + " has mode " + PosixFilePermissions.toString(permissions)
            + ": group/other may access the cluster secret; chmod 0400 it";
    }

    /** Size of the key in bytes. */
    public int length()
    {
        return material.length;
    }

    /** Problems found while loading that did not stop it (e.g. loose file permissions). */
    public List<String> warnings()
    {
        return warnings;
    }

    /** The raw key, for key derivation inside this package only. */
    byte[] material()
    {
        return material;
    }

    @Override
    public String toString()
    {
        return "AuthKey{" + origin + ", " + material.length + " bytes}";
    }
}
