package org.ringmaster.quorum.ping;

import java.io.IOException;
import java.net.InetAddress;

/**
 * Reachable means {@link InetAddress#isReachable(int)} succeeded: the JDK sends an ICMP echo request
 * when the process may open raw sockets (root or CAP_NET_RAW), otherwise it tries a TCP connection
 * to the echo port 7, where a refusal also proves the host is up. Targets with a port are checked by
 * TCP connect instead.
 */
public final class IcmpProbe extends SocketProbe
{
    @Override
    boolean check(final PingTarget target, final int timeoutMs) throws IOException
    {
        return target.isTcp() ? tcpConnect(target, timeoutMs) : echo(target, timeoutMs);
    }

    static boolean echo(final PingTarget target, final int timeoutMs) throws IOException
    {
        return InetAddress.getByName(target.host()).isReachable(timeoutMs);
    }
}
