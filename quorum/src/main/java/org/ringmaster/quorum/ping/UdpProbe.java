package org.ringmaster.quorum.ping;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Reachable means a UDP datagram sent to {@code host:port} got any datagram back within the timeout
 * (an echo service, e.g. port 7, or any responder). Silence and an ICMP port-unreachable both count as
 * unreachable: like {@link TcpProbe}, we want something that answers, not just a host that exists.
 * Targets without a port fall back to {@link IcmpProbe}'s check.
 */
public final class UdpProbe extends SocketProbe
{
    private static final byte[] PROBE = "ringmaster-ping\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    boolean check(final PingTarget target, final int timeoutMs) throws IOException
    {
        if (!target.isTcp())
        {
            return IcmpProbe.echo(target, timeoutMs);
        }
        try (DatagramSocket s = new DatagramSocket())
        {
            s.connect(new InetSocketAddress(InetAddress.getByName(target.host()), target.port()));
            s.setSoTimeout(Math.max(1, timeoutMs));
            s.send(new DatagramPacket(PROBE, PROBE.length));
            s.receive(new DatagramPacket(new byte[64], 64));
            return true;
        }
    }
}
