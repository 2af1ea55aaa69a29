package org.ringmaster.membership.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RedundantConfigTest
{
    private static long ms(final long ns)
    {
        return TimeUnit.NANOSECONDS.toMillis(ns);
    }

    @Test
    void defaultsFollowCorosyncsFormulaForTheDefaultToken()
    {
        final RedundantConfig config = RedundantConfig.defaults();
        assertThat(config.mode()).isEqualTo(LinkMode.PASSIVE);
        for (int link = 0; link < RedundantConfig.MAX_LINKS; link++)
        {
            assertThat(config.priority(link)).isEqualTo(1);
            assertThat(config.pongCount(link)).isEqualTo(2);
            // token 400 / (pong_count 2 x 2) and token 400 / pong_count 2
            assertThat(ms(config.pingIntervalNs(link))).isEqualTo(100);
            assertThat(ms(config.pingTimeoutNs(link))).isEqualTo(200);
        }
        assertThat(config.toString()).contains("link_mode=passive", "ping_interval=100ms", "pong_count=2");
    }

    @Test
    void pingTimingIsDerivedFromTokenAndPongCountUnlessSet()
    {
        final RedundantConfig config = RedundantConfig.builder().tokenMs(3000).pongCount(3)
            .pingIntervalMs(1, 100).pingTimeoutMs(1, 450).priority(1, 200).mode(LinkMode.ACTIVE).build();
        assertThat(ms(config.pingIntervalNs(0))).isEqualTo(500);
        assertThat(ms(config.pingTimeoutNs(0))).isEqualTo(1000);
        assertThat(ms(config.pingIntervalNs(1))).isEqualTo(100);
        assertThat(ms(config.pingTimeoutNs(1))).isEqualTo(450);
        assertThat(config.priority(1)).isEqualTo(200);
        assertThat(config.mode()).isEqualTo(LinkMode.ACTIVE);
        assertThat(RedundantTransport.preferenceOrder(config, 3)).containsExactly(1, 0, 2);
    }

    @Test
    void badValuesNameTheKey()
    {
        assertThatThrownBy(() -> RedundantConfig.builder().priority(2, 256).build())
            .hasMessage("totem.interface[linknumber=2].knet_link_priority=256 is out of range 0..255");
        assertThatThrownBy(() -> RedundantConfig.builder().pongCount(1, 0).build())
            .hasMessage("totem.interface[linknumber=1].knet_pong_count=0 is out of range 1..255");
        assertThatThrownBy(() -> RedundantConfig.builder().pingIntervalMs(300).pingTimeoutMs(300).build())
            .hasMessage("totem.interface[linknumber=0].knet_ping_timeout=300 must be greater than"
                + " knet_ping_interval=300 (ms), or the link flaps");
        assertThatThrownBy(() -> RedundantConfig.builder().pingIntervalMs(-5))
            .hasMessageContaining("totem.knet_ping_interval=-5 must be > 0 ms");
        assertThatThrownBy(() -> RedundantConfig.builder().pingTimeoutMs(3, -1))
            .hasMessageContaining("totem.interface[linknumber=3].knet_ping_timeout=-1 must be > 0 ms");
        assertThatThrownBy(() -> RedundantConfig.builder().priority(8, 1))
            .hasMessageContaining("totem.interface[linknumber=8].knet_link_priority: linknumber is out of range 0..7");
        assertThatThrownBy(() -> RedundantConfig.builder().tokenMs(0).build())
            .hasMessage("totem.token=0 must be > 0 ms");
        assertThatThrownBy(() -> RedundantConfig.defaults().priority(9)).hasMessageContaining("linknumber 9");
    }

    @Test
    void linkModeParsesCorosyncSpelling()
    {
        assertThat(LinkMode.parse("passive")).isEqualTo(LinkMode.PASSIVE);
        assertThat(LinkMode.parse(" Active ")).isEqualTo(LinkMode.ACTIVE);
        assertThat(LinkMode.ACTIVE.configName()).isEqualTo("active");
        assertThatThrownBy(() -> LinkMode.parse("rr")).hasMessage(
            "totem.link_mode=rr is not one of passive, active (knet's rr is not supported: use active)");
        assertThatThrownBy(() -> LinkMode.parse(null)).hasMessageContaining("totem.link_mode=null");
    }
}
