package org.ringmaster.totem.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PathMtuTest
{
    private static final int FOUR_MIB = 4 * 1024 * 1024;

    /** A host with lo (65536) holding 127/8 and eth0 (9000) holding 10.0.0.1. */
    private static final PathMtu.InterfaceLookup HOST = address ->
    {
        if (address.isLoopbackAddress())
        {
            return Optional.of(new PathMtu.LocalInterface("lo", 65536));
        }
        return Optional.ofNullable(Map.of("10.0.0.1", new PathMtu.LocalInterface("eth0", 9000))
            .get(address.getHostAddress()));
    };

    private static List<InetAddress> addresses(final String... names) throws UnknownHostException
    {
        final InetAddress[] all = new InetAddress[names.length];
        for (int i = 0; i < names.length; i++)
        {
            all[i] = InetAddress.getByName(names[i]);
        }
        return List.of(all);
    }

    @Test
    void loopbackRingTakesTheLoopbackMtuCappedAtTheLargestNetmtu() throws Exception
    {
        final PathMtu.Choice choice = PathMtu.of(HOST, requested -> requested)
            .choose(addresses("127.0.0.1", "127.0.0.2", "127.0.0.3"), FOUR_MIB, 50);
        assertThat(choice.netmtu()).isEqualTo(UdpConfig.MAX_NETMTU);
        assertThat(choice.reason()).startsWith("auto: all 3 node addresses are on this host (lo MTU 65536)")
            .contains("4194304 bytes");
    }

    @Test
    void localInterfacesGiveTheSmallestOfTheirMtus() throws Exception
    {
        final PathMtu.Choice choice = PathMtu.of(HOST, requested -> requested)
            .choose(addresses("127.0.0.1", "10.0.0.1"), FOUR_MIB, 50);
        assertThat(choice.netmtu()).isEqualTo(9000);
        assertThat(choice.reason()).contains("(eth0 MTU 9000)");
    }

    @Test
    void aPeerOnAnotherHostKeepsCorosyncsUdpuDefault() throws Exception
    {
        final PathMtu.Choice choice = PathMtu.of(HOST, requested -> requested)
            .choose(addresses("10.0.0.1", "10.0.0.2"), FOUR_MIB, 50);
        assertThat(choice.netmtu()).isEqualTo(1500);
        assertThat(choice.reason()).contains("10.0.0.2 is not on this host").contains("set netmtu for jumbo frames");
    }

    @Test
    void theReceiveBufferBoundsTheMtuButNotBelow1500() throws Exception
    {
        // A default kernel: rmem_max 212992, of which window_size 50 datagrams may take 4259 bytes each.
        final PathMtu.Choice small = PathMtu.of(HOST, requested -> 212992)
            .choose(addresses("127.0.0.1", "127.0.0.2"), FOUR_MIB, 50);
        assertThat(small.netmtu()).isEqualTo(4259);
        assertThat(small.reason()).contains("bounded by the receive buffer: 212992 bytes / window_size 50 = 4259");

        final PathMtu.Choice tiny = PathMtu.of(HOST, requested -> 10_000)
            .choose(addresses("127.0.0.1"), FOUR_MIB, 50);
        assertThat(tiny.netmtu()).as("never below 1500").isEqualTo(1500);

        final PathMtu.Choice bigWindow = PathMtu.of(HOST, requested -> requested)
            .choose(addresses("127.0.0.1"), FOUR_MIB, 300);
        assertThat(bigWindow.netmtu()).as("4 MiB / 300").isEqualTo(13981);
    }

    @Test
    void theRequestedBufferIsWhatIsProbed() throws Exception
    {
        final int[] asked = new int[1];
        PathMtu.of(HOST, requested ->
        {
            asked[0] = requested;
            return requested;
        }).choose(addresses("127.0.0.1"), 123_456, 50);
        assertThat(asked[0]).isEqualTo(123_456);
    }

    @Test
    void failedLookupsFallBackTo1500AndSayWhy() throws Exception
    {
        final PathMtu.Choice noInterfaces = PathMtu.of(address ->
        {
            throw new SocketException("no interfaces here");
        }, requested -> requested).choose(addresses("127.0.0.1"), FOUR_MIB, 50);
        assertThat(noInterfaces.netmtu()).isEqualTo(1500);
        assertThat(noInterfaces.reason()).contains("cannot tell whether 127.0.0.1 is on this host")
            .contains("no interfaces here");

        final PathMtu.Choice noMtu = PathMtu.of(address -> Optional.of(new PathMtu.LocalInterface("odd0", -1)),
            requested -> requested).choose(addresses("127.0.0.1"), FOUR_MIB, 50);
        assertThat(noMtu.netmtu()).isEqualTo(1500);
        assertThat(noMtu.reason()).contains("interface odd0 of 127.0.0.1 reports no MTU");

        final PathMtu.Choice noBuffer = PathMtu.of(HOST, requested ->
        {
            throw new IOException("no sockets here");
        }).choose(addresses("127.0.0.1"), FOUR_MIB, 50);
        assertThat(noBuffer.netmtu()).isEqualTo(1500);
        assertThat(noBuffer.reason()).contains("the receive buffer cannot be measured").contains("no sockets here");
    }

    @Test
    void badArgumentsAreRefused()
    {
        final PathMtu mtu = PathMtu.of(HOST, requested -> requested);
        assertThatThrownBy(() -> mtu.choose(List.of(), FOUR_MIB, 50)).hasMessageContaining("no node addresses");
        assertThatThrownBy(() -> mtu.choose(addresses("127.0.0.1"), FOUR_MIB, 0))
            .hasMessageContaining("window_size 0 must be >= 1");
    }

    /** The real host: 127.0.0.x are on lo whether or not lo lists them. */
    @Test
    void realLoopbackAddressesAreOnThisHost() throws Exception
    {
        final NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getByName("127.0.0.1"));
        assertThat(lo).as("127.0.0.1 is on a local interface").isNotNull();
        final PathMtu.Choice choice = PathMtu.system()
            .choose(addresses("127.0.0.1", "127.0.0.2", "127.0.0.3"), UdpConfig.DEFAULT_SOCKET_BUFFER_BYTES, 50);
        final int expectedCeiling = Math.min(UdpConfig.MAX_NETMTU, lo.getMTU());
        assertThat(choice.netmtu()).isBetween(Math.min(1500, expectedCeiling), expectedCeiling);
        final Path rmemMax = Path.of("/proc/sys/net/core/rmem_max");
        if (Files.isReadable(rmemMax))
        {
            // Linux grants min(request, rmem_max) (doubled inside the kernel, which the JDK undoes).
            // readAllLines, as Files.readString trusts /proc's file size of 0 and may return a part.
            final long granted = Math.min(UdpConfig.DEFAULT_SOCKET_BUFFER_BYTES,
                Long.parseLong(Files.readAllLines(rmemMax).get(0).trim()));
            assertThat(choice.netmtu()).isEqualTo((int)Math.min(expectedCeiling, Math.max(1500, granted / 50)));
        }
        assertThat(choice.reason()).startsWith("auto: all 3 node addresses are on this host (" + lo.getName() + " MTU "
            + lo.getMTU() + ")");
        // A TEST-NET-1 address (RFC 5737) is on no host.
        assertThat(PathMtu.system().choose(addresses("127.0.0.1", "192.0.2.77"), 0, 50).netmtu()).isEqualTo(1500);
    }
}
