package org.ringmaster.quorum.qdisk;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A shared in-memory disk with switchable faults, for deterministic tests. Each node gets a view. */
public final class MemoryDiskIo
{
    final byte[] bytes;

    public MemoryDiskIo(final int maxNodes)
    {
        bytes = new byte[(int)DiskLayout.size(maxNodes)];
    }

    /** A node's handle on the shared disk; faults are per handle (per node's path to the storage). */
    public View view(final String name)
    {
        return new View(name);
    }

    public final class View implements DiskIo
    {
        private final String name;
        volatile String failReads;
        volatile String failWrites;

        View(final String name)
        {
            this.name = name;
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public void read(final long offset, final ByteBuffer dst) throws IOException
        {
            if (failReads != null)
            {
                throw new IOException(failReads);
            }
            if (offset + dst.remaining() > bytes.length)
            {
                throw new java.io.EOFException("end of " + name + " at offset " + bytes.length);
            }
            dst.put(bytes, (int)offset, dst.remaining());
        }

        @Override
        public void write(final long offset, final ByteBuffer src) throws IOException
        {
            if (failWrites != null)
            {
                throw new IOException(failWrites);
            }
            src.get(bytes, (int)offset, src.remaining());
        }

        @Override
        public void close()
        {
        }
    }
}
