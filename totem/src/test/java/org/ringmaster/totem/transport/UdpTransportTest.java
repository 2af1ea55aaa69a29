package org.ringmaster.totem.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * IP multicast needs an interface with the MULTICAST flag and a route for 224.0.0.0/4. The host's
 * loopback has neither, and changing the host is not ours to do, so the real-socket test runs a
 * {@link MulticastScenario} JVM inside a throwaway network namespace (needs root; CI runs as root).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UdpTransportTest
{
    private static final boolean CI = System.getenv("CI") != null;

    @Test
    void threeNodesExchangeMulticastsAndUnicastsInANetworkNamespace(@TempDir final Path dir) throws Exception
    {
        final boolean root = "0".equals(run(List.of("id", "-u"), dir).trim());
        if (!CI)
        {
            assumeTrue(root && (Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))),
                "needs root and iproute2 to create a network namespace with multicast on loopback; CI=true never skips");
        }
        assertThat(root).as("CI runs this test as root").isTrue();

        final String ns = "rm-mcast-" + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(1 << 20);
        try
        {
            run(List.of("ip", "netns", "add", ns), dir);
            run(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"), dir);
            run(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "multicast", "on"), dir);
            run(List.of("ip", "netns", "exec", ns, "ip", "route", "add", "224.0.0.0/4", "dev", "lo"), dir);

            final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                MulticastScenario.class.getName(), "5405", "239.192.77.1"));
            final Process process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("scenario.log").toFile()).start();
            try
            {
                final boolean exited = process.waitFor(60, TimeUnit.SECONDS);
                final String log = Files.readString(dir.resolve("scenario.log"));
                assertThat(exited).as("scenario finished; log:%n%s", log).isTrue();
                assertThat(process.exitValue()).as("scenario exit code; log:%n%s", log).isZero();
                final int expected = (MulticastScenario.NODES - 1) * MulticastScenario.MULTICASTS_PER_NODE;
                for (int id = 1; id <= MulticastScenario.NODES; id++)
                {
                    assertThat(log).as(log).contains("node=" + id + " multicasts=" + expected
                        + " unicasts=1 own=0 unknown=1 sent=" + (MulticastScenario.MULTICASTS_PER_NODE + 1)
                        + " received=" + (expected + 2));
                }
            }
            finally
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        finally
        {
            new ProcessBuilder("ip", "netns", "delete", ns).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(run(List.of("ip", "netns", "list"), dir)).doesNotContain(ns);
    }

    @Test
    void anInterfaceThatDoesNotExistIsNamedInTheError()
    {
        final UdpConfig config = UdpConfig.builder().localNodeId(1)
            .node(1, new InetSocketAddress("127.0.0.1", 5405)).build();
        assertThatThrownBy(() -> new UdpTransport(config,
            MulticastConfig.of(new InetSocketAddress("239.192.77.1", 5406)).withInterface("nosuchif0")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("udp node 1").hasMessageContaining("nosuchif0");
    }

    @Test
    void multicastConfigValidationNamesTheBadKey()
    {
        assertThatThrownBy(() -> MulticastConfig.of(new InetSocketAddress("10.0.0.1", 5405)))
            .hasMessageContaining("MulticastConfig.group").hasMessageContaining("not a multicast address");
        assertThatThrownBy(() -> MulticastConfig.of(new InetSocketAddress("239.1.1.1", 5405)).withTtl(300))
            .hasMessageContaining("MulticastConfig.ttl=300");
        assertThat(MulticastConfig.of(new InetSocketAddress("239.1.1.1", 5405)).ttl()).isEqualTo(1);
    }

    /** Runs a short command, failing with its output if it exits non-zero. */
    private static String run(final List<String> command, final Path dir) throws IOException, InterruptedException
    {
        final Path out = Files.createTempFile(dir, "cmd", ".out");
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try
        {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            final String output = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("%s: %s", command, output).isZero();
            return output;
        }
        finally
        {
            p.destroyForcibly();
        }
    }
}
