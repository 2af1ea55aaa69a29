package org.ringmaster.totem.transport;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings shared by the UDP transports ({@link UdpuTransport}, {@link UdpTransport}).
 *
 * <p>The node list mirrors corosync.conf's {@code nodelist}: each node id maps to the address and
 * port its socket is bound to. Several nodes may run on one host, either on distinct loopback
 * addresses with the same port (127.0.0.1:5405, 127.0.0.2:5405, ...) or on distinct ports. The
 * source (ip, port) of every received datagram must be one of these addresses.
 *
 * <p>Defaults: {@code netmtu} {@value #DEFAULT_NETMTU} (corosync's default); socket buffers
 * {@value #DEFAULT_SOCKET_BUFFER_BYTES} bytes each (the kernel caps them at
 * {@code net.core.rmem_max}/{@code wmem_max}; the effective size is logged at start).
 */
public final class UdpConfig
{
    public static final int DEFAULT_NETMTU = 1500;
    public static final int MIN_NETMTU = 576;
    public static final int MAX_NETMTU = 65535;
    public static final int DEFAULT_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    /** corosync's default {@code mcastport}. */
    public static final int DEFAULT_PORT = 5405;

    private static final int UDP_HEADER = 8;
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;

    private final int localNodeId;
    private final Map<Integer, InetSocketAddress> nodes;
    private final int netmtu;
    private final int sendBufferBytes;
    private final int receiveBufferBytes;
    private final boolean ipv6;

    private UdpConfig(final Builder b)
    {
        if (b.nodes.isEmpty())
        {
            throw new IllegalArgumentException("UdpConfig.nodes is empty: the node list needs at least this node");
        }
        Boolean v6 = null;
        final Map<InetSocketAddress, Integer> seen = new LinkedHashMap<>();
        for (final Map.Entry<Integer, InetSocketAddress> e : b.nodes.entrySet())
        {
            final int id = e.getKey();
            final InetSocketAddress address = e.getValue();
            if (id <= 0)
            {
                throw new IllegalArgumentException("UdpConfig.nodes: node id " + id + " must be > 0");
            }
            if (address.isUnresolved())
            {
                throw new IllegalArgumentException(
                    "UdpConfig.nodes[" + id + "]=" + address + " is unresolved (no IP address for that name)");
            }
            if (address.getPort() == 0)
            {
                throw new IllegalArgumentException("UdpConfig.nodes[" + id + "]=" + address + " has port 0");
            }
            if (address.getAddress().isAnyLocalAddress() || address.getAddress().isMulticastAddress())
            {
                throw new IllegalArgumentException("UdpConfig.nodes[" + id + "]=" + address
                    + " must be a unicast address of that node, not a wildcard or multicast address");
            }
            final boolean isV6 = address.getAddress() instanceof Inet6Address;
            if (v6 != null && v6 != isV6)
            {
                throw new IllegalArgumentException("UdpConfig.nodes[" + id + "]=" + address
                    + " mixes IPv4 and IPv6; all nodes must use one address family");
            }
            v6 = isV6;
            final Integer previous = seen.put(address, id);
            if (previous != null)
            {
                throw new IllegalArgumentException("UdpConfig.nodes[" + id + "] and nodes[" + previous
                    + "] have the same address " + address);
            }
        }
        if (!b.nodes.containsKey(b.localNodeId))
        {
            throw new IllegalArgumentException(
                "UdpConfig.localNodeId=" + b.localNodeId + " is not in the node list " + b.nodes.keySet());
        }
        if (b.netmtu < MIN_NETMTU || b.netmtu > MAX_NETMTU)
        {
            throw new IllegalArgumentException(
                "UdpConfig.netmtu=" + b.netmtu + " is out of range " + MIN_NETMTU + ".." + MAX_NETMTU);
        }
        if (b.sendBufferBytes < 0)
        {
            throw new IllegalArgumentException("UdpConfig.sendBufferBytes=" + b.sendBufferBytes + " must be >= 0");
        }
        if (b.receiveBufferBytes < 0)
        {
            throw new IllegalArgumentException(
                "UdpConfig.receiveBufferBytes=" + b.receiveBufferBytes + " must be >= 0");
        }
        this.localNodeId = b.localNodeId;
        this.nodes = Collections.unmodifiableMap(new LinkedHashMap<>(b.nodes));
        this.netmtu = b.netmtu;
        this.sendBufferBytes = b.sendBufferBytes;
        this.receiveBufferBytes = b.receiveBufferBytes;
        this.ipv6 = v6;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** This node's id; its entry in {@link #nodes()} is the address the socket binds to. */
    public int localNodeId()
    {
        return localNodeId;
    }

    /** Node id to the (ip, port) its socket is bound to, in insertion order; unmodifiable. */
    public Map<Integer, InetSocketAddress> nodes()
    {
        return nodes;
    }

    public InetSocketAddress localAddress()
    {
        return nodes.get(localNodeId);
    }

    /** corosync's {@code netmtu}: the IP packet size the ring fills; default {@value #DEFAULT_NETMTU}. */
    public int netmtu()
    {
        return netmtu;
    }

    /** Largest UDP payload: {@code netmtu} minus the IP header (20 IPv4 / 40 IPv6) and 8 bytes of UDP header. */
    public int maxDatagramLength()
    {
        return netmtu - (ipv6 ? IPV6_HEADER : IPV4_HEADER) - UDP_HEADER;
    }

    /** SO_SNDBUF to request; 0 keeps the OS default. */
    public int sendBufferBytes()
    {
        return sendBufferBytes;
    }

    /** SO_RCVBUF to request; 0 keeps the OS default. */
    public int receiveBufferBytes()
    {
        return receiveBufferBytes;
    }

    boolean ipv6()
    {
        return ipv6;
    }

    @Override
    public String toString()
    {
        return "UdpConfig{localNodeId=" + localNodeId + ", nodes=" + nodes + ", netmtu=" + netmtu
            + ", sendBufferBytes=" + sendBufferBytes + ", receiveBufferBytes=" + receiveBufferBytes + '}';
    }

    /** Collects settings; {@link #build()} validates them once, naming the bad key. */
    public static final class Builder
    {
        private int localNodeId;
        private final Map<Integer, InetSocketAddress> nodes = new LinkedHashMap<>();
        private int netmtu = DEFAULT_NETMTU;
        private int sendBufferBytes = DEFAULT_SOCKET_BUFFER_BYTES;
        private int receiveBufferBytes = DEFAULT_SOCKET_BUFFER_BYTES;

        private Builder()
        {
        }

        public Builder localNodeId(final int localNodeId)
        {
            this.localNodeId = localNodeId;
            return this;
        }

        public Builder node(final int nodeId, final InetSocketAddress address)
        {
            Objects.requireNonNull(address, "address");
            if (nodes.putIfAbsent(nodeId, address) != null)
            {
                throw new IllegalArgumentException("UdpConfig.nodes: node id " + nodeId + " is listed twice");
            }
            return this;
        }

        public Builder nodes(final Map<Integer, InetSocketAddress> nodes)
        {
            nodes.forEach(this::node);
            return this;
        }

        public Builder netmtu(final int netmtu)
        {
            this.netmtu = netmtu;
            return this;
        }

        public Builder sendBufferBytes(final int sendBufferBytes)
        {
            this.sendBufferBytes = sendBufferBytes;
            return this;
        }

        public Builder receiveBufferBytes(final int receiveBufferBytes)
        {
            this.receiveBufferBytes = receiveBufferBytes;
            return this;
        }

        public UdpConfig build()
        {
            return new UdpConfig(this);
        }
    }
}
