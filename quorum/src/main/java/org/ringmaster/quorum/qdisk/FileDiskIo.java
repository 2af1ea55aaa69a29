package org.ringmaster.quorum.qdisk;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A quorum disk on a shared file or block device, opened with {@code O_DSYNC} so every slot write
 * reaches the storage before the call returns. (No {@code O_DIRECT}: a shared block device must not
 * be cached by the page cache of several hosts; use a raw/direct-capable path for that - documented.)
 */
public final class FileDiskIo implements DiskIo
{
    private final Path path;
    private final FileChannel channel;

    private FileDiskIo(final Path path, final FileChannel channel)
    {
        this.path = path;
        this.channel = channel;
    }

    /** Opens an existing file or device for read/write. */
    public static FileDiskIo open(final Path path) throws IOException
    {
        return new FileDiskIo(path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.DSYNC));
    }

    /** Creates (or truncates) a regular file to be formatted as a quorum disk. */
    public static FileDiskIo create(final Path path) throws IOException
    {
        return new FileDiskIo(path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.CREATE, StandardOpenOption.DSYNC));
    }

    @Override
    public String name()
    {
        return path.toString();
    }

    @Override
    public void read(final long offset, final ByteBuffer dst) throws IOException
    {
        long pos = offset;
        while (dst.hasRemaining())
        {
            final int n = channel.read(dst, pos);
            if (n < 0)
            {
                throw new EOFException("end of " + path + " at offset " + pos + " (disk smaller than its layout)");
            }
            pos += n;
        }
    }

    @Override
    public void write(final long offset, final ByteBuffer src) throws IOException
    {
        long pos = offset;
        while (src.hasRemaining())
        {
            pos += channel.write(src, pos);
        }
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
