package org.ringmaster.daemon.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 lines over a blocking socket channel, for both ends of the admin socket. Reading and
 * writing may happen on two threads at once (the channel's read and write sides are independent;
 * stream adapters would serialise them). Lines are bounded: a longer one is skipped and reported as
 * {@link #TOO_LONG}.
 */
public final class LineChannel implements AutoCloseable {

    /** Returned by {@link #readLine()} in place of a line over the limit (compare by identity). */
    public static final String TOO_LONG = new String("<line too long>");

    private final SocketChannel channel;
    private final int maxLine;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Object writeLock = new Object();

    public LineChannel(SocketChannel channel, int maxLine) {
        this.channel = channel;
        this.maxLine = maxLine;
        in.flip();
    }

    public SocketChannel channel() {
        return channel;
    }

    /** The next line without its terminator, null at end of stream, or {@link #TOO_LONG}. */
    public String readLine() throws IOException {
        line.reset();
        boolean overflow = false;
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    if (overflow) {
                        return TOO_LONG;
                    }
                    int n = line.size();
                    byte[] bytes = line.toByteArray();
                    if (n > 0 && bytes[n - 1] == '\r') {
                        n--;
                    }
                    return new String(bytes, 0, n, StandardCharsets.UTF_8);
                }
                if (line.size() < maxLine) {
                    line.write(b);
                } else {
                    overflow = true;
                }
            }
            in.clear();
            int read = channel.read(in);
            in.flip();
            if (read < 0) {
                return null;
            }
        }
    }

    /** Writes one line (a terminator is added); thread-safe. */
    public void writeLine(String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        synchronized (writeLock) {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
