package org.ringmaster.daemon.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.daemon.config.ClusterConfig;
import org.ringmaster.daemon.config.ConfigException;
import org.ringmaster.daemon.config.Diagnostic;
import org.ringmaster.membership.link.LinkMode;
import org.ringmaster.membership.link.RedundantConfig;

/** link_mode and the interfaces' knet_* options reach the redundant-link transport. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class RedundantLinkSettingsTest
{
    private static final String NODES = "nodelist {\n node {\n  name: a\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n  ring1_addr: 10.1.0.1\n }\n" +
        " node {\n  name: b\n  nodeid: 2\n  ring0_addr: 10.0.0.2\n  ring1_addr: 10.1.0.2\n }\n}\n";

    @Test
    void linkModeAndKnetOptionsAreRead() throws Exception
    {
        final ClusterConfig c = ClusterConfig.parse("t.conf", "totem {\n version: 2\n cluster_name: t\n token: 1000\n" +
            " link_mode: active\n interface {\n  linknumber: 0\n  knet_link_priority: 5\n  knet_ping_interval: 100\n" +
            "  knet_ping_timeout: 400\n  knet_pong_count: 3\n }\n interface {\n  linknumber: 1\n  knet_link_priority: 9\n }\n}\n" +
            NODES);
        assertThat(c.totem().linkMode()).isEqualTo("active");
        assertThat(c.totem().links().get(0).knetLinkPriority()).isEqualTo(5);
        assertThat(c.totem().links().get(0).knetPingIntervalMs()).isEqualTo(100);
        assertThat(c.totem().links().get(0).knetPingTimeoutMs()).isEqualTo(400);
        assertThat(c.totem().links().get(0).knetPongCount()).isEqualTo(3);
        assertThat(c.totem().links().get(1).knetLinkPriority()).isEqualTo(9);
        assertThat(c.warnings()).extracting(Diagnostic::key).noneMatch(k -> k.contains("knet_") || k.contains("link_mode"));

        final RedundantConfig links = RingTransport.redundantConfig(c.totem());
        assertThat(links.mode()).isEqualTo(LinkMode.ACTIVE);
        assertThat(links.priority(0)).isEqualTo(5);
        assertThat(links.priority(1)).isEqualTo(9);
    }

    @Test
    void badLinkSettingsAreErrorsNamingTheKey()
    {
        final List<Diagnostic> errors = rejected("totem {\n version: 2\n link_mode: rr\n interface {\n  linknumber: 0\n" +
            "  knet_ping_interval: 500\n  knet_ping_timeout: 200\n }\n}\n" + NODES);
        assertThat(errors).extracting(Diagnostic::key).anyMatch(k -> k.endsWith("link_mode"))
            .anyMatch(k -> k.endsWith("knet_ping_timeout"));
    }

    private static List<Diagnostic> rejected(final String text)
    {
        try
        {
            ClusterConfig.parse("t.conf", text);
        }
        catch (final ConfigException e)
        {
            return e.errors();
        }
        throw new AssertionError("expected the configuration to be rejected");
    }
}
