package org.ringmaster.perf;

import java.net.InetAddress;
import java.util.List;

import org.ringmaster.totem.transport.PathMtu;
import org.ringmaster.totem.transport.UdpConfig;

/**
 * The benchmark's {@code --netmtu}: a number, or {@code auto} (the default), which chooses it as
 * the daemon does for a ring whose nodes share this host: every bench node listens on 127.0.0.1,
 * so auto gives the loopback MTU (bounded by the receive buffer, see {@link PathMtu}). A mode
 * resolves it once, in the parent, and hands the number to its node processes, so every node and
 * every result line carries the same figure; {@code --netmtu 1500} keeps Corosync's udpu framing.
 */
public final class NetmtuOption
{
    /** The option's default. */
    public static final String AUTO = "auto";

    private NetmtuOption()
    {
    }

    /**
     * @param value      what {@code --netmtu} was given
     * @param windowSize the ring's window_size, which bounds auto by the receive buffer
     * @return the netmtu to run with
     * @throws IllegalArgumentException naming {@code --netmtu} when the value is neither auto nor a
     *                                  number in 576..65535
     */
    public static int resolve(final String value, final int windowSize)
    {
        if (AUTO.equals(value))
        {
            final PathMtu.Choice choice = PathMtu.system().choose(List.of(InetAddress.getLoopbackAddress()),
                UdpConfig.DEFAULT_SOCKET_BUFFER_BYTES, windowSize);
            System.err.println("netmtu " + choice.netmtu() + " (" + choice.reason() + ")");
            return choice.netmtu();
        }
        final int netmtu;
        try
        {
            netmtu = Integer.parseInt(value);
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("--netmtu " + value + ": expected auto or a number of bytes in " +
                UdpConfig.MIN_NETMTU + ".." + UdpConfig.MAX_NETMTU);
        }
        if (netmtu < UdpConfig.MIN_NETMTU || netmtu > UdpConfig.MAX_NETMTU)
        {
            throw new IllegalArgumentException("--netmtu " + value + ": must be auto or within " +
                UdpConfig.MIN_NETMTU + ".." + UdpConfig.MAX_NETMTU);
        }
        return netmtu;
    }
}
