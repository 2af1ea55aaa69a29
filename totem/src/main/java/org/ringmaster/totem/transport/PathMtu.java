package org.ringmaster.totem.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.Collection;
import java.util.Enumeration;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses {@code netmtu} when it is not configured ("auto"), from what this host can know without
 * probing the network.
 *
 * <ul>
 *   <li>Every node address on this host (a loopback address, or an address of a local interface):
 *       the datagrams never leave the host, so the smallest MTU of those interfaces (loopback:
 *       65536), capped at {@link UdpConfig#MAX_NETMTU}.</li>
 *   <li>That is further bounded by the receive buffer, Corosync's advice
 *       {@code window_size <= 256000 / netmtu} turned around: {@code netmtu <= receive buffer /
 *       window_size}, with the buffer the kernel actually grants; the bound never goes below
 *       {@value #FALLBACK} (or the interface MTU, if that is smaller).</li>
 *   <li>Any node on another host: {@value #FALLBACK}, Corosync's udpu default. The far side's
 *       path MTU cannot be learnt without probing; jumbo frames need {@code netmtu} set.</li>
 * </ul>
 *
 * <p>Looking up the interfaces and the buffer is injected ({@link #of}), so the choice is
 * deterministic in tests; {@link #system()} asks the JDK and opens one throwaway socket.
 */
public final class PathMtu
{
    /** Corosync's udpu default, used when a peer may be on another host. */
    public static final int FALLBACK = 1500;

    private final InterfaceLookup interfaces;
    private final ReceiveBufferProbe receiveBuffer;

    private PathMtu(final InterfaceLookup interfaces, final ReceiveBufferProbe receiveBuffer)
    {
        this.interfaces = Objects.requireNonNull(interfaces, "interfaces");
        this.receiveBuffer = Objects.requireNonNull(receiveBuffer, "receiveBuffer");
    }

    /** The chosen netmtu and a one-line reason for the log. */
    public record Choice(int netmtu, String reason)
    {
    }

    /** A local interface: its name and MTU. */
    public record LocalInterface(String name, int mtu)
    {
    }

    /** Finds the local interface an address belongs to. */
    @FunctionalInterface
    public interface InterfaceLookup
    {
        /**
         * @return the interface holding {@code address} (for any loopback address, the loopback
         * interface), or empty when the address is not on this host
         */
        Optional<LocalInterface> interfaceOf(InetAddress address) throws IOException;
    }

    /** Tells how many bytes of a requested socket receive buffer datagrams may really fill. */
    @FunctionalInterface
    public interface ReceiveBufferProbe
    {
        /** @param requestedBytes SO_RCVBUF to request; 0 for the OS default */
        int usableBytes(int requestedBytes) throws IOException;
    }

    /** Looks at this host's interfaces and sockets. */
    public static PathMtu system()
    {
        return new PathMtu(PathMtu::systemInterfaceOf, PathMtu::systemUsableBytes);
    }

    /** With the given look-ups (tests). */
    public static PathMtu of(final InterfaceLookup interfaces, final ReceiveBufferProbe receiveBuffer)
    {
        return new PathMtu(interfaces, receiveBuffer);
    }

    /**
     * @param addresses          every node's address on the ring (this node's included)
     * @param receiveBufferBytes SO_RCVBUF the transport requests (0 = the OS default)
     * @param windowSize         the ring's {@code window_size}
     */
    public Choice choose(final Collection<InetAddress> addresses, final int receiveBufferBytes, final int windowSize)
    {
        if (addresses.isEmpty())
        {
            throw new IllegalArgumentException("PathMtu: no node addresses");
        }
        if (windowSize < 1)
        {
            throw new IllegalArgumentException("PathMtu: window_size " + windowSize + " must be >= 1");
        }
        LocalInterface smallest = null;
        for (final InetAddress address : addresses)
        {
            final Optional<LocalInterface> local;
            try
            {
                local = interfaces.interfaceOf(address);
            }
            catch (final IOException | RuntimeException e)
            {
                return new Choice(FALLBACK, "auto: cannot tell whether " + address.getHostAddress() +
                    " is on this host (" + e + "); " + FALLBACK + " as for udpu");
            }
            if (local.isEmpty())
            {
                return new Choice(FALLBACK, "auto: node address " + address.getHostAddress() +
                    " is not on this host, and its path MTU is not probed; " + FALLBACK +
                    " as for udpu (set netmtu for jumbo frames)");
            }
            if (local.get().mtu() <= 0)
            {
                return new Choice(FALLBACK, "auto: interface " + local.get().name() + " of " +
                    address.getHostAddress() + " reports no MTU; " + FALLBACK + " as for udpu");
            }
            if (smallest == null || local.get().mtu() < smallest.mtu())
            {
                smallest = local.get();
            }
        }
        final int interfaceMtu = Math.max(UdpConfig.MIN_NETMTU, Math.min(UdpConfig.MAX_NETMTU, smallest.mtu()));
        final StringBuilder reason = new StringBuilder("auto: all ").append(addresses.size())
            .append(" node addresses are on this host (").append(smallest.name()).append(" MTU ")
            .append(smallest.mtu()).append(')');
        final int usable;
        try
        {
            usable = receiveBuffer.usableBytes(receiveBufferBytes);
        }
        catch (final IOException | RuntimeException e)
        {
            final int mtu = Math.min(interfaceMtu, FALLBACK);
            return new Choice(mtu, reason.append(", but the receive buffer cannot be measured (").append(e)
                .append("); ").append(mtu).toString());
        }
        final long bufferBound = Math.max(FALLBACK, (long)usable / windowSize);
        final int netmtu = (int)Math.min(interfaceMtu, bufferBound);
        if (netmtu < interfaceMtu)
        {
            reason.append(", bounded by the receive buffer: ").append(usable).append(" bytes / window_size ")
                .append(windowSize).append(" = ").append(netmtu);
        }
        else
        {
            reason.append("; the receive buffer (").append(usable).append(" bytes) holds window_size ")
                .append(windowSize).append(" datagrams of ").append(netmtu);
        }
        return new Choice(netmtu, reason.toString());
    }

    private static Optional<LocalInterface> systemInterfaceOf(final InetAddress address) throws SocketException
    {
        // 127.0.0.2 and the rest of 127/8 are not listed on lo, but the kernel delivers them there.
        if (address.isLoopbackAddress())
        {
            final Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
            while (all != null && all.hasMoreElements())
            {
                final NetworkInterface candidate = all.nextElement();
                if (candidate.isLoopback())
                {
                    return Optional.of(new LocalInterface(candidate.getName(), candidate.getMTU()));
                }
            }
            return Optional.empty();
        }
        final NetworkInterface owner = NetworkInterface.getByInetAddress(address);
        return owner == null ? Optional.empty() : Optional.of(new LocalInterface(owner.getName(), owner.getMTU()));
    }

    private static int systemUsableBytes(final int requestedBytes) throws IOException
    {
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET))
        {
            if (requestedBytes > 0)
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, requestedBytes);
            }
            // Linux keeps an accounting limit twice the value set (capped at net.core.rmem_max), the other
            // half being its allowance for per-datagram bookkeeping (socket(7)); the JDK reports half of the
            // kernel's figure on Linux, i.e. the part the datagrams themselves may fill, which is what counts.
            return channel.getOption(StandardSocketOptions.SO_RCVBUF);
        }
    }
}
