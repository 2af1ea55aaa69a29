package org.ringmaster.fencing.sbd;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Positional sector I/O on the shared disk or file; a seam so tests can inject I/O errors. */
interface DiskIo extends AutoCloseable {

    /** Reads exactly {@code dst.remaining()} bytes at {@code offset}, or throws (short reads are errors). */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes all of {@code src} at {@code offset} and makes it durable before returning. */
    void write(long offset, ByteBuffer src) throws IOException;

    @Override
    void close() throws IOException;
}
