package org.ringmaster.daemon.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ringmaster.membership.link.LinkListener;
import org.ringmaster.membership.link.RedundantConfig;
import org.ringmaster.membership.link.RedundantTransport;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.AuthKeyException;
import org.ringmaster.totem.security.SecureTransport;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.UdpConfig;
import org.ringmaster.totem.transport.UdpTransport;
import org.ringmaster.totem.transport.UdpuTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the sockets a node's ring runs on, as its {@link NodeSettings} say: one UDP socket per
 * link (udpu or knet: unicast to every node; udp: plus a multicast group), the redundant-link
 * transport on top when there are several links, and datagram security outermost.
 */
public final class RingTransport {

    private static final Logger LOG = LoggerFactory.getLogger(RingTransport.class);

    private RingTransport() {
    }

    /**
     * Binds the sockets and loads the authkey.
     *
     * @throws StartupException naming the address that cannot be bound or the authkey problem
     */
    public static Transport open(NodeSettings settings, LinkListener links) throws StartupException {
        return openLinks(settings, links).transport();
    }

    /**
     * What {@link #open} opened: the transport the ring runs on and, with several links, the
     * redundant-link layer under its security (for link states and meters).
     */
    public record Opened(Transport transport, Optional<RedundantTransport> redundant) {
    }

    /** Like {@link #open}, also handing back the redundant-link layer when there is one. */
    public static Opened openLinks(NodeSettings settings, LinkListener links) throws StartupException {
        AuthKey key = null;
        if (settings.keyfile().isPresent()) {
            Path file = settings.keyfile().get();
            try {
                key = AuthKey.load(file);
            } catch (AuthKeyException e) {
                throw new StartupException("totem.keyfile: " + e.getMessage(), e);
            }
        }
        List<Transport> opened = new ArrayList<>();
        try {
            for (UdpConfig link : settings.links()) {
                opened.add(openLink(settings, link));
            }
            RedundantTransport redundant = opened.size() == 1 ? null
                    : new RedundantTransport(opened, settings.links().get(0).nodes().keySet(),
                    redundantConfig(settings.cluster().totem()), links, System::nanoTime);
            Transport ring = redundant == null ? opened.get(0) : redundant;
            return new Opened(SecureTransport.wrap(ring, settings.crypto(), key,
                    settings.links().get(0).nodes().keySet(), settings.cluster().totem().clusterName().orElse("")),
                    Optional.ofNullable(redundant));
        } catch (RuntimeException e) {
            opened.forEach(Transport::close);
            throw new StartupException(e.getMessage(), e);
        }
    }

    /** link_mode and each interface's knet_* settings; a link's index is its position in linknumber order. */
    static RedundantConfig redundantConfig(org.ringmaster.daemon.config.TotemConfig totem) {
        RedundantConfig.Builder b = RedundantConfig.builder().tokenMs(totem.effectiveTokenMs())
                .mode(org.ringmaster.membership.link.LinkMode.valueOf(totem.linkMode().toUpperCase(java.util.Locale.ROOT)));
        for (int i = 0; i < totem.links().size(); i++) {
            org.ringmaster.daemon.config.LinkConfig link = totem.links().get(i);
            b.priority(i, link.knetLinkPriority());
            if (link.knetPongCount() > 0) {
                b.pongCount(i, link.knetPongCount());
            }
            if (link.knetPingIntervalMs() > 0) {
                b.pingIntervalMs(i, link.knetPingIntervalMs());
            }
            if (link.knetPingTimeoutMs() > 0) {
                b.pingTimeoutMs(i, link.knetPingTimeoutMs());
            }
        }
        return b.build();
    }

    private static Transport openLink(NodeSettings settings, UdpConfig link) throws StartupException {
        try {
            Transport t = settings.multicast().isPresent() ? new UdpTransport(link, settings.multicast().get())
                    : new UdpuTransport(link);
            LOG.info("listening on {} (udp{})", link.localAddress(), settings.multicast().isPresent()
                    ? ", multicast " + settings.multicast().get().group() : "u");
            return t;
        } catch (RuntimeException e) {
            throw new StartupException("cannot open " + link.localAddress() + " for node " + settings.nodeId() + ": "
                    + e.getMessage() + (e.getCause() != null ? " (" + e.getCause() + ")" : "")
                    + "; is another ringmasterd or corosync using it?", e);
        }
    }
}
