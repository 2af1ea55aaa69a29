package org.ringmaster.membership.link;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.ringmaster.totem.transport.UdpConfig;
import org.ringmaster.totem.transport.UdpuTransport;

/**
 * Real UDP links on loopback: node i is 127.0.0.i, link k uses its own port on every node (as
 * ring0_addr, ring1_addr would be separate networks), ports chosen free so parallel builds do not collide.
 */
final class LoopbackLinks
{
    private final int nodes;
    private final int[] ports;

    LoopbackLinks(final int nodes, final int links)
    {
        this.nodes = nodes;
        this.ports = new int[links];
        for (int link = 0; link < links; link++)
        {
            ports[link] = freePort(link == 0 ? -1 : ports[link - 1]);
        }
    }

    /** A link transport of one node, bound now. */
    UdpuTransport open(final int link, final int node)
    {
        final UdpConfig.Builder b = UdpConfig.builder().localNodeId(node);
        for (int n = 1; n <= nodes; n++)
        {
            b.node(n, new InetSocketAddress("127.0.0." + n, ports[link]));
        }
        return new UdpuTransport(b.build());
    }

    /** All links of one node, link number = index. */
    List<UdpuTransport> openAll(final int node)
    {
        final List<UdpuTransport> links = new ArrayList<>();
        try
        {
            for (int link = 0; link < ports.length; link++)
            {
                links.add(open(link, node));
            }
            return links;
        }
        catch (final RuntimeException ex)
        {
            links.forEach(UdpuTransport::close);
            throw ex;
        }
    }

    private int freePort(final int not)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            final int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            if (port != not && freeOnAll(port))
            {
                return port;
            }
        }
        throw new IllegalStateException("no UDP port free on 127.0.0.1.." + nodes);
    }

    private boolean freeOnAll(final int port)
    {
        final List<DatagramChannel> open = new ArrayList<>();
        try
        {
            for (int n = 1; n <= nodes; n++)
            {
                final DatagramChannel channel = DatagramChannel.open();
                open.add(channel);
                channel.bind(new InetSocketAddress("127.0.0." + n, port));
            }
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
        finally
        {
            for (final DatagramChannel channel : open)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignored)
                {
                    // a probe socket
                }
            }
        }
    }
}
