package org.ringmaster.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network between two daemons on loopback, in user space, so a test can split it without root:
 * node 1's config gives node 2 the address {@link #standInFor(int) standInFor(2)} and node 2's gives node 1
 * {@code standInFor(1)}. The relay listens on both stand-ins and forwards each datagram from the
 * stand-in of the sender, so every node sees its peer at the address its node list names (udpu drops
 * anything else). {@link #split(boolean)} drops everything in both directions until healed.
 */
final class UdpRelay implements AutoCloseable {

    private final InetSocketAddress[] real = new InetSocketAddress[3];
    private final DatagramChannel[] standIn = new DatagramChannel[3];
    private final Selector selector;
    private final Thread thread;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean split;
    private volatile boolean closed;

    /** Stand-in addresses 127.0.0.{base+1} and 127.0.0.{base+2} on the ring's port. */
    UdpRelay(int base, int port) throws IOException {
        selector = Selector.open();
        try {
            for (int node = 1; node <= 2; node++) {
                real[node] = new InetSocketAddress("127.0.0." + node, port);
                standIn[node] = DatagramChannel.open();
                standIn[node].bind(new InetSocketAddress("127.0.0." + (base + node), port));
                standIn[node].configureBlocking(false);
                standIn[node].register(selector, SelectionKey.OP_READ, node);
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        thread = new Thread(this::run, "udp-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** The address that stands for {@code node} in the other node's config. */
    static String standInFor(int base, int node) {
        return "127.0.0." + (base + node);
    }

    /** Cuts (true) or heals (false) the link between the two nodes. */
    void split(boolean on) {
        split = on;
    }

    long forwarded() {
        return forwarded.get();
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
        try {
            while (!closed) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    // A datagram that reached node N's stand-in was sent by the other node, to N.
                    int to = (Integer) key.attachment();
                    int from = 3 - to;
                    SocketAddress sender;
                    while ((sender = standIn[to].receive(buffer.clear())) != null) {
                        if (split || !sender.equals(real[from])) {
                            dropped.incrementAndGet();
                            continue;
                        }
                        standIn[from].send(buffer.flip(), real[to]);
                        forwarded.incrementAndGet();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (!closed) {
                System.err.println("udp relay stopped: " + e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (DatagramChannel c : standIn) {
            if (c != null) {
                c.close();
            }
        }
        selector.close();
    }
}
