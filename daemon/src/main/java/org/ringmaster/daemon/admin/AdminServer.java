package org.ringmaster.daemon.admin;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.ringmaster.daemon.node.ClusterNode;
import org.ringmaster.daemon.node.StartupException;
import org.ringmaster.membership.group.GroupHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin/client socket: a Unix domain socket (mode 0600, or 0660 with a socket group) on which
 * {@code ringctl} and client applications speak {@link Protocol}. One thread per connection, at
 * most {@value #MAX_SESSIONS} at once; a stale socket file from a crashed daemon is replaced, a live
 * one is an error.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    static final int MAX_SESSIONS = 64;

    private final Path path;
    private final ServerSocketChannel server;
    private final ClusterNode node;
    private final MeterRegistry registry;
    private final ClientPolicy policy;
    private final ExecutorService sessions;
    private final Semaphore slots = new Semaphore(MAX_SESSIONS);
    private final AtomicLong refused = new AtomicLong();
    private final Set<GroupHandle> members = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private AdminServer(Path path, ServerSocketChannel server, ClusterNode node, MeterRegistry registry,
                        ClientPolicy policy) {
        this.path = path;
        this.server = server;
        this.node = node;
        this.registry = registry;
        this.policy = policy;
        this.sessions = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ringmaster-admin-session");
            t.setDaemon(true);
            return t;
        });
        io.micrometer.core.instrument.FunctionCounter.builder("ringmaster.admin.refused", refused, AtomicLong::get)
                .description("admin socket connections refused (not allowed, or too many)").register(registry);
        this.acceptor = new Thread(this::accept, "ringmaster-admin");
        acceptor.setDaemon(true);
    }

    /**
     * Binds the socket and starts accepting.
     *
     * @throws StartupException when the socket is in use by a live daemon or cannot be created
     */
    public static AdminServer start(Path path, ClusterNode node, MeterRegistry registry, ClientPolicy policy)
            throws StartupException {
        Path absolute = path.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new StartupException("--socket " + path + ": cannot create directory " + absolute.getParent() + ": "
                    + e, e);
        }
        if (Files.exists(absolute)) {
            try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(absolute))) {
                throw new StartupException("--socket " + path + ": another ringmasterd is serving this socket; give "
                        + "each node its own --socket");
            } catch (IOException stale) {
                try {
                    Files.delete(absolute);
                    LOG.info("removed stale admin socket {}", absolute);
                } catch (IOException e) {
                    throw new StartupException("--socket " + path + ": cannot remove the stale socket: " + e, e);
                }
            }
        }
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(absolute));
            PosixFileAttributeView view = Files.getFileAttributeView(absolute, PosixFileAttributeView.class);
            if (policy.group().isPresent()) {
                GroupPrincipal group = absolute.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName(policy.group().get());
                view.setGroup(group);
                view.setPermissions(PosixFilePermissions.fromString("rw-rw----"));
            } else {
                view.setPermissions(PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            if (server != null) {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // Reporting the bind failure matters more.
                }
            }
            throw new StartupException("--socket " + path + ": cannot listen: " + e, e);
        }
        AdminServer admin = new AdminServer(absolute, server, node, registry, policy);
        admin.acceptor.start();
        LOG.info("admin socket {}{}", absolute, policy.group().map(g -> " (group " + g + ")").orElse(""));
        return admin;
    }

    public Path path() {
        return path;
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("admin socket accept failed: {}", e.toString());
                continue;
            }
            String user;
            String group;
            try {
                UnixDomainPrincipal who = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
                user = who.user().getName();
                group = who.group().getName();
            } catch (IOException | UnsupportedOperationException e) {
                user = "?";
                group = "?";
            }
            String refusal = policy.refusal(user, group);
            if (refusal == null && !slots.tryAcquire()) {
                refusal = "busy: " + MAX_SESSIONS + " clients are connected already";
            }
            if (refusal != null) {
                refused.incrementAndGet();
                LOG.warn("admin socket: {}", refusal);
                refuse(client, refusal);
                continue;
            }
            String peer = user;
            sessions.execute(() -> {
                try {
                    new AdminSession(new LineChannel(client, Protocol.MAX_LINE), node, registry, peer, members).run();
                } finally {
                    slots.release();
                }
            });
        }
    }

    private static void refuse(SocketChannel client, String why) {
        try (LineChannel line = new LineChannel(client, 256)) {
            line.writeLine(Protocol.ERR + " " + why);
        } catch (IOException e) {
            LOG.debug("refusing a client: {}", e.toString());
        }
    }

    /** Stops accepting, ends every session and removes the socket file. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the admin socket", e);
        }
        sessions.shutdownNow();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(2));
            Files.deleteIfExists(path);
        } catch (IOException | InterruptedException e) {
            LOG.debug("removing the admin socket", e);
        }
    }
}
