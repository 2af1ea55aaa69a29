package org.ringmaster.totem.transport;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Immutable settings of {@link UdpTransport} (corosync's {@code transport: udp}) on top of a
 * {@link UdpConfig}: the group's address and port ({@code mcastaddr}, {@code mcastport}), the
 * interface to send and join on, and the TTL ({@code ttl}, default {@value #DEFAULT_TTL}: the
 * cluster stays on one subnet unless told otherwise).
 *
 * <p>By default the interface is the one that holds this node's address from the node list.
 */
public final class MulticastConfig
{
    public static final int DEFAULT_TTL = 1;

    private final InetSocketAddress group;
    private final String interfaceName;
    private final int ttl;

    private MulticastConfig(final InetSocketAddress group, final String interfaceName, final int ttl)
    {
        Objects.requireNonNull(group, "MulticastConfig.group");
        if (group.isUnresolved() || !group.getAddress().isMulticastAddress())
        {
            throw new IllegalArgumentException("MulticastConfig.group=" + group + " is not a multicast address");
        }
        if (group.getPort() == 0)
        {
            throw new IllegalArgumentException("MulticastConfig.group=" + group + " has port 0");
        }
        if (ttl < 0 || ttl > 255)
        {
            throw new IllegalArgumentException("MulticastConfig.ttl=" + ttl + " is out of range 0..255");
        }
        this.group = group;
        this.interfaceName = interfaceName;
        this.ttl = ttl;
    }

    /** The group on the interface holding this node's address, TTL {@value #DEFAULT_TTL}. */
    public static MulticastConfig of(final InetSocketAddress group)
    {
        return new MulticastConfig(group, null, DEFAULT_TTL);
    }

    public MulticastConfig withInterface(final String interfaceName)
    {
        return new MulticastConfig(group, Objects.requireNonNull(interfaceName, "interfaceName"), ttl);
    }

    public MulticastConfig withTtl(final int ttl)
    {
        return new MulticastConfig(group, interfaceName, ttl);
    }

    public InetSocketAddress group()
    {
        return group;
    }

    /** Interface name, or null to use the interface of this node's address. */
    public String interfaceName()
    {
        return interfaceName;
    }

    public int ttl()
    {
        return ttl;
    }

    @Override
    public String toString()
    {
        return "MulticastConfig{group=" + group + ", interface=" + (interfaceName == null ? "(of node address)" :
            interfaceName) + ", ttl=" + ttl + '}';
    }
}
