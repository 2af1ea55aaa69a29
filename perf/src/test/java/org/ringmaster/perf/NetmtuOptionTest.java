package org.ringmaster.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.totem.transport.UdpConfig;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NetmtuOptionTest
{
    @Test
    void aNumberIsUsedAsGiven()
    {
        assertThat(NetmtuOption.resolve("1500", 50)).isEqualTo(1500);
        assertThat(NetmtuOption.resolve("9000", 50)).isEqualTo(9000);
    }

    @Test
    void autoIsTheLoopbackMtuWithinTheNetmtuRange() throws Exception
    {
        final int loopbackMtu = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()).getMTU();
        final int auto = NetmtuOption.resolve("auto", 50);
        assertThat(auto).isBetween(Math.min(1500, loopbackMtu), Math.min(UdpConfig.MAX_NETMTU, loopbackMtu));
        assertThat(NetmtuOption.resolve("auto", 50)).as("the same on every call").isEqualTo(auto);
    }

    @Test
    void anythingElseIsRefusedNamingTheOption()
    {
        assertThatThrownBy(() -> NetmtuOption.resolve("jumbo", 50)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("--netmtu jumbo: expected auto or a number of bytes in 576..65535");
        assertThatThrownBy(() -> NetmtuOption.resolve("70000", 50)).hasMessage("--netmtu 70000: must be auto or within 576..65535");
        assertThatThrownBy(() -> NetmtuOption.resolve("100", 50)).hasMessageStartingWith("--netmtu 100:");
    }
}
