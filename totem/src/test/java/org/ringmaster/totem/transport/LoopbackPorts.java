package org.ringmaster.totem.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Finds UDP ports free on every given loopback address, so parallel builds do not collide. */
public final class LoopbackPorts
{
    private LoopbackPorts()
    {
    }

    /** One port that is free on all the given addresses (e.g. 127.0.0.1, 127.0.0.2, 127.0.0.3). */
    public static int samePortOn(final String... hosts)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            final int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            if (freeOnAll(port, hosts))
            {
                return port;
            }
        }
        throw new IllegalStateException("no UDP port free on all of " + List.of(hosts));
    }

    private static boolean freeOnAll(final int port, final String... hosts)
    {
        final List<DatagramChannel> open = new ArrayList<>();
        try
        {
            for (final String host : hosts)
            {
                final DatagramChannel channel = DatagramChannel.open();
                open.add(channel);
                channel.bind(new InetSocketAddress(host, port));
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
                    // best effort: a probe socket
                }
            }
        }
    }
}
