package org.ringmaster.quorum.ping;

/**
 * One address to probe: {@code host} alone means an ICMP echo (see {@link IcmpProbe}), {@code host:port}
 * (or {@code [v6]:port}) a port for the probe in use: a TCP connect with {@link TcpProbe} and
 * {@link IcmpProbe}, a UDP exchange with {@link UdpProbe}.
 *
 * @param host name or literal address.
 * @param port TCP or UDP port, or 0 for ICMP.
 */
public record PingTarget(String host, int port)
{
    public PingTarget
    {
        if (host == null || host.isBlank())
        {
            throw new PingConfigException("ping", "empty host");
        }
        if (port < 0 || port > 65535)
        {
            throw new PingConfigException("ping", "port " + port + " out of range for " + host);
        }
    }

    /** Parses {@code host}, {@code host:port} or {@code [v6addr]:port}. */
    public static PingTarget parse(final String text)
    {
        final String t = text == null ? "" : text.trim();
        try
        {
            if (t.startsWith("["))
            {
                final int close = t.indexOf(']');
                if (close < 0)
                {
                    throw new PingConfigException("ping", "unterminated [ in '" + text + "'");
                }
                final String host = t.substring(1, close);
                final String rest = t.substring(close + 1);
                return new PingTarget(host, rest.isEmpty() ? 0 : Integer.parseInt(rest.substring(1)));
            }
            final int colon = t.indexOf(':');
            if (colon >= 0 && t.indexOf(':', colon + 1) < 0)
            {
                return new PingTarget(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)));
            }
            return new PingTarget(t, 0);
        }
        catch (final NumberFormatException ex)
        {
            throw new PingConfigException("ping", "bad port in '" + text + "'");
        }
    }

    public boolean isTcp()
    {
        return port != 0;
    }

    @Override
    public String toString()
    {
        return port == 0 ? host : (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
