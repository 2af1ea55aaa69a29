package org.ringmaster.membership;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where a node keeps the highest ring seq it has used, so that a restarted node never reuses a
 * ring id (Totem SRP §3: ring seqs grow at every node, across restarts too).
 */
public interface RingSeqStore
{
    /** The highest seq stored, 0 if none. */
    long load();

    /** Durably record {@code seq} before the node speaks on a ring with it. */
    void store(long seq);

    /** A store kept in memory, for simulations (a "restart" keeps the object). */
    static RingSeqStore inMemory()
    {
        return new RingSeqStore()
        {
            private long seq;

            @Override
            public long load()
            {
                return seq;
            }

            @Override
            public void store(final long value)
            {
                seq = Math.max(seq, value);
            }
        };
    }

    /**
     * A store in {@code file}: written to a temporary file, forced to disk and renamed, so a crash
     * leaves the old or the new value, never half of one. A file that cannot be read is an error
     * naming it (a node must not guess its ring seq).
     */
    static RingSeqStore file(final Path file)
    {
        return new RingSeqStore()
        {
            @Override
            public long load()
            {
                if (!Files.exists(file))
                {
                    return 0;
                }
                try
                {
                    final String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
                    final long seq = Long.parseLong(text);
                    if (seq < 0)
                    {
                        throw new IllegalStateException(file + ": negative ring seq " + seq);
                    }
                    return seq;
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalStateException(file + ": not a ring seq (" + ex.getMessage() + ")", ex);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(file + ": cannot read the ring seq", ex);
                }
            }

            @Override
            public void store(final long seq)
            {
                final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                try
                {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
                    {
                        channel.write(ByteBuffer.wrap((seq + "\n").getBytes(StandardCharsets.US_ASCII)));
                        channel.force(true);
                    }
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                catch (final IOException ex)
                {
                    try
                    {
                        Files.deleteIfExists(tmp);
                    }
                    catch (final IOException ignored)
                    {
                        // The original error is the one to report.
                    }
                    throw new UncheckedIOException(file + ": cannot store ring seq " + seq, ex);
                }
            }
        };
    }
}
