package org.ringmaster.quorum.ping;

import java.io.IOException;

/**
 * Reachable means a TCP connection to {@code host:port} was established within the timeout. A
 * refused connection counts as unreachable: we want the service behind the address, not just an RST.
 * Targets without a port fall back to {@link IcmpProbe}'s check.
 */
public final class TcpProbe extends SocketProbe
{
    @Override
    boolean check(final PingTarget target, final int timeoutMs) throws IOException
    {
        return target.isTcp() ? tcpConnect(target, timeoutMs) : IcmpProbe.echo(target, timeoutMs);
    }
}
