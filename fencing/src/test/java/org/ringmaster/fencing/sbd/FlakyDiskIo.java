package org.ringmaster.fencing.sbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A real file whose reads and writes can be made to fail, like a disk whose path went away. */
final class FlakyDiskIo implements DiskIo {

    private final FileDiskIo file;
    volatile String failReads;
    volatile String failWrites;

    FlakyDiskIo(Path path) throws IOException {
        this.file = new FileDiskIo(path, false);
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        if (failReads != null) {
            throw new IOException(failReads);
        }
        file.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        if (failWrites != null) {
            throw new IOException(failWrites);
        }
        file.write(offset, src);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
