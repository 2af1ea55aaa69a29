package org.ringmaster.totem.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectableChannel;
import java.util.Enumeration;
import java.util.List;

import org.agrona.DirectBuffer;

/**
 * corosync's {@code transport: udp}: {@link #multicast} sends one datagram to an IP multicast
 * group; {@link #unicast} sends to the member's address from the node list.
 *
 * <p>Two sockets: the node's own socket, bound to its (ip, port) from the node list, sends
 * everything and receives unicasts, so every datagram's source is the sender's node-list address
 * and is checked like in {@link UdpuTransport}; the group socket is bound to the group's (address,
 * port) with SO_REUSEADDR, so several nodes on one host can all join, and only receives. The kernel
 * loops our own multicasts back (needed for the other nodes on this host); those are skipped.
 *
 * <p>The interface must have the MULTICAST flag and a route for the group. On a loopback-only test
 * host: {@code ip link set lo multicast on; ip route add 224.0.0.0/4 dev lo}.
 */
public final class UdpTransport extends NodeListTransport
{
    private final MulticastConfig multicast;
    private final DatagramEndpoint node;
    private final DatagramEndpoint group;
    private final MembershipKey membership;

    /** Binds both sockets and joins the group now; a failure names the node, address and interface. */
    public UdpTransport(final UdpConfig config, final MulticastConfig multicast)
    {
        super(config, "udp node " + config.localNodeId());
        this.multicast = multicast;
        if (multicast.group().getAddress().getAddress().length != config.localAddress().getAddress().getAddress().length)
        {
            throw new IllegalArgumentException("MulticastConfig.group=" + multicast.group()
                + " is not of the node list's address family");
        }
        final NetworkInterface nic = networkInterface(config, multicast, name);
        DatagramChannel nodeChannel = null;
        DatagramChannel groupChannel = null;
        try
        {
            nodeChannel = DatagramEndpoint.open(config, config.localAddress(), false, name);
            nodeChannel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nic);
            nodeChannel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, multicast.ttl());
            nodeChannel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            groupChannel = DatagramEndpoint.open(config, multicast.group(), true, name + " group");
            this.membership = groupChannel.join(multicast.group().getAddress(), nic);
        }
        catch (final IOException | RuntimeException ex)
        {
            DatagramEndpoint.closeQuietly(nodeChannel);
            DatagramEndpoint.closeQuietly(groupChannel);
            if (ex instanceof UncheckedIOException)
            {
                throw (UncheckedIOException)ex;
            }
            throw new UncheckedIOException(new IOException(name + ": cannot join multicast group "
                + multicast.group() + " on interface " + nic.getName() + ": " + ex.getMessage(), ex));
        }
        this.node = new DatagramEndpoint(name, nodeChannel, config.maxDatagramLength(), config.nodes(), null);
        this.group = new DatagramEndpoint(
            name + " group", groupChannel, config.maxDatagramLength(), config.nodes(), config.localAddress());
    }

    private static NetworkInterface networkInterface(
        final UdpConfig config, final MulticastConfig multicast, final String name)
    {
        try
        {
            final NetworkInterface nic = multicast.interfaceName() != null ?
                NetworkInterface.getByName(multicast.interfaceName()) :
                interfaceHolding(config.localAddress().getAddress());
            if (nic == null)
            {
                throw new IllegalArgumentException(name + ": no network interface "
                    + (multicast.interfaceName() != null ? "named " + multicast.interfaceName() :
                    "holds " + config.localAddress().getAddress()) + " (MulticastConfig.interfaceName)");
            }
            if (!nic.supportsMulticast() || !nic.isUp())
            {
                throw new IllegalArgumentException(name + ": interface " + nic.getName()
                    + " is down or lacks the MULTICAST flag (on loopback: ip link set "
                    + nic.getName() + " multicast on; ip route add 224.0.0.0/4 dev " + nic.getName() + ")");
            }
            return nic;
        }
        catch (final SocketException ex)
        {
            throw new UncheckedIOException(name + ": cannot list network interfaces", ex);
        }
    }

    /**
     * The interface with this address, else the one whose subnet contains it (127.0.0.2 is on
     * {@code lo} through 127.0.0.1/8 without being assigned).
     */
    private static NetworkInterface interfaceHolding(final InetAddress address) throws SocketException
    {
        final NetworkInterface exact = NetworkInterface.getByInetAddress(address);
        if (exact != null)
        {
            return exact;
        }
        final byte[] wanted = address.getAddress();
        final Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
        while (all != null && all.hasMoreElements())
        {
            final NetworkInterface nic = all.nextElement();
            for (final InterfaceAddress ia : nic.getInterfaceAddresses())
            {
                final byte[] have = ia.getAddress().getAddress();
                if (have.length == wanted.length && samePrefix(have, wanted, ia.getNetworkPrefixLength()))
                {
                    return nic;
                }
            }
        }
        return null;
    }

    private static boolean samePrefix(final byte[] a, final byte[] b, final int bits)
    {
        for (int i = 0; i < bits; i++)
        {
            final int mask = 0x80 >>> (i & 7);
            if ((a[i >>> 3] & mask) != (b[i >>> 3] & mask))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    DatagramEndpoint sender()
    {
        return node;
    }

    @Override
    public boolean multicast(final DirectBuffer buffer, final int offset, final int length)
    {
        node.stage(buffer, offset, length);
        return account(node.sendStaged(multicast.group()));
    }

    /** Drains the group socket first, then unicasts, up to {@code limit} datagrams in all. */
    @Override
    public int poll(final DatagramHandler handler, final int limit)
    {
        final int fromGroup = group.receive(handler, limit, counters);
        return fromGroup + node.receive(handler, limit - fromGroup, counters);
    }

    @Override
    public List<SelectableChannel> readableChannels()
    {
        return List.of(group.channel(), node.channel());
    }

    @Override
    public void close()
    {
        DatagramEndpoint.closeQuietly(membership::drop);
        group.close();
        node.close();
    }
}
