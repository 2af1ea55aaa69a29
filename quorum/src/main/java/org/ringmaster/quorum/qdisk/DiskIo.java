package org.ringmaster.quorum.qdisk;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Positional access to the shared quorum disk, injectable so the disk can be simulated or made to
 * fail. Implementations must make a completed {@link #write} visible to other nodes' reads.
 */
public interface DiskIo extends AutoCloseable
{
    /** Human readable name for messages: the path. */
    String name();

    /** Reads exactly {@code dst.remaining()} bytes at {@code offset} (short reads are an error). */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes all of {@code src} at {@code offset}, durably. */
    void write(long offset, ByteBuffer src) throws IOException;

    @Override
    void close() throws IOException;
}
