package org.ringmaster.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two "nodes" on one Ethernet segment: network namespaces {@link #a} ({@code va}, 10.77.N.1/24) and {@link #b}
 * ({@code vb}, 10.77.N.2/24), each plugged by a veth pair into bridge {@code br0} in a third namespace (the
 * "switch"). {@code b} accepts gratuitous ARP into its neighbour table so a test can see an announcement arrive.
 * Always {@link #close()} it (deletes all three namespaces and with them every interface).
 */
public final class NetnsPair implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    public final String a;
    public final String b;
    public final String sw;
    public final String subnet;

    public NetnsPair() throws IOException {
        int n = SEQ.incrementAndGet();
        String tag = "rm" + ProcessHandle.current().pid() + "x" + n;
        a = tag + "a";
        b = tag + "b";
        sw = tag + "s";
        subnet = "10.77." + (n % 250) + ".";
        boolean ok = false;
        try {
            ip("netns", "add", a);
            ip("netns", "add", b);
            ip("netns", "add", sw);
            ip("-n", sw, "link", "add", "br0", "type", "bridge");
            ip("-n", sw, "link", "set", "br0", "up");
            for (String[] port : new String[][] {{a, "va", "pa"}, {b, "vb", "pb"}}) {
                ip("-n", sw, "link", "add", port[2], "type", "veth", "peer", "name", port[1], "netns", port[0]);
                ip("-n", sw, "link", "set", port[2], "master", "br0");
                ip("-n", sw, "link", "set", port[2], "up");
            }
            ip("-n", a, "addr", "add", subnet + "1/24", "dev", "va");
            ip("-n", b, "addr", "add", subnet + "2/24", "dev", "vb");
            for (String[] nd : new String[][] {{a, "va"}, {b, "vb"}}) {
                ip("-n", nd[0], "link", "set", "lo", "up");
                ip("-n", nd[0], "link", "set", nd[1], "up");
            }
            run(List.of("ip", "netns", "exec", b, "sysctl", "-qw", "net.ipv4.conf.all.arp_accept=1"));
            run(List.of("ip", "netns", "exec", b, "sysctl", "-qw", "net.ipv4.conf.vb.arp_accept=1"));
            ok = true;
        } finally {
            if (!ok) {
                close();
            }
        }
    }

    /** The MAC address of {@code va} (namespace a). */
    public String macOfA() throws IOException {
        String out = ip("-n", a, "-o", "link", "show", "va");
        int i = out.indexOf("link/ether ");
        return out.substring(i + 11, i + 28);
    }

    /** {@code ip neigh} of namespace b for one address. */
    public String neighbourInB(String address) throws IOException {
        return ip("-n", b, "neigh", "show", address);
    }

    /** Addresses on {@code va}. */
    public String addressesOfA() throws IOException {
        return ip("-n", a, "-o", "addr", "show", "dev", "va");
    }

    public static String ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(cmd + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        for (String ns : List.of(a, b, sw)) {
            try {
                ip("netns", "del", ns);
            } catch (IOException e) {
                // not created
            }
        }
    }
}
