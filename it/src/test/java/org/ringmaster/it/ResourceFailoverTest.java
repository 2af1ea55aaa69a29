package org.ringmaster.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 on three real daemons: a group of a {@code builtin:vip} (in a network namespace this test creates, on a
 * veth interface) and a {@code builtin:process} service fails over when the node running it is killed (SIGKILL to
 * its daemon and its service, as if the machine died) — fencing first. The fence device is a script that logs the
 * fencing to an event file and, playing the power switch, takes the dead node's address away; the service logs
 * its starts to the same file, so the file's order is the order of events. Everything is observed through
 * {@code ringctl status --json}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ResourceFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern APP = Pattern.compile(
            "\\{\"id\":\"app\",\"agent\":\"builtin:process\",\"group\":\"svc\",\"state\":\"([^\"]*)\",\"node\":\"(n[123])\"}");
    private static final Pattern VIP = Pattern.compile(
            "\\{\"id\":\"vip\",\"agent\":\"builtin:vip\",\"group\":\"svc\",\"state\":\"([^\"]*)\",\"node\":\"(n[123])\"}");

    @TempDir
    Path dir;

    private static void requireRootAndIp() {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean ip = Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")) || Files.isExecutable(Path.of("/bin/ip"));
        if (!root || !ip) {
            String why = (root ? "" : "root ") + (ip ? "" : "ip (Debian iproute2)");
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("this test needs " + why + "; CI runs as root with .ci/install-deps");
            }
            Assumptions.abort("needs " + why + " (network namespaces); skipped outside CI");
        }
    }

    private static String ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
        return out;
    }

    /** (state, node) of an instance in a status --json answer, if it runs somewhere. */
    private static List<String[]> placements(Pattern p, String json) {
        List<String[]> out = new ArrayList<>();
        Matcher m = p.matcher(json);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    /** The node where both vip and app are Started, each exactly once, per node i's ringctl status --json. */
    private static Optional<String> groupStartedOn(DaemonCluster c, int i) throws Exception {
        DaemonCluster.Result r = c.ringctl(i, "status", "--json");
        if (r.code() != 0 || !r.output().contains("\"transition\":\"\"")) {
            return Optional.empty();
        }
        List<String[]> app = placements(APP, r.output());
        List<String[]> vip = placements(VIP, r.output());
        if (app.size() == 1 && vip.size() == 1 && app.get(0)[0].equals("Started") && vip.get(0)[0].equals("Started")
                && app.get(0)[1].equals(vip.get(0)[1])) {
            return Optional.of(app.get(0)[1]);
        }
        return Optional.empty();
    }

    @Test
    void vipAndServiceFailOverToASurvivorAfterTheKilledNodeIsFenced() throws Exception {
        requireRootAndIp();
        long pid = ProcessHandle.current().pid();
        String ns = "rmfo" + pid + "x" + ThreadLocalRandom.current().nextInt(1000);
        String vip = "10.78." + (pid % 250) + ".100";
        Path events = dir.resolve("events");
        Files.writeString(events, "");
        ip("netns", "add", ns);
        try {
            // a veth pair inside the namespace: an Ethernet interface without a dummy module
            ip("-n", ns, "link", "add", "rmd0", "type", "veth", "peer", "name", "rmd1");
            ip("-n", ns, "link", "set", "rmd1", "up");
            ip("-n", ns, "link", "set", "rmd0", "up");
            ip("-n", ns, "addr", "add", "10.78." + (pid % 250) + ".1/24", "dev", "rmd0");
            Path fence = dir.resolve("fence-power");
            Files.writeString(fence, """
                    #!/bin/sh
                    # Test fence agent: logs the request, then "powers off" the node: its address goes away.
                    action=reboot
                    plug=
                    while IFS= read -r line; do
                      case "$line" in
                        action=*|option=*) action="${line#*=}" ;;
                        plug=*|port=*) plug="${line#*=}" ;;
                      esac
                    done
                    if [ "$action" = metadata ]; then
                      cat <<'XML'
                    <?xml version="1.0" ?>
                    <resource-agent name="fence-power" shortdesc="test power switch">
                    <parameters>
                    <parameter name="action" unique="0" required="1"><content type="string" default="reboot"/><shortdesc lang="en">action</shortdesc></parameter>
                    <parameter name="plug" unique="0" required="0"><content type="string"/><shortdesc lang="en">node</shortdesc></parameter>
                    <parameter name="port" unique="0" required="0"><content type="string"/><shortdesc lang="en">node</shortdesc></parameter>
                    </parameters>
                    <actions><action name="on"/><action name="off"/><action name="reboot"/><action name="status"/><action name="monitor"/><action name="metadata"/></actions>
                    </resource-agent>
                    XML
                      exit 0
                    fi
                    case "$action" in
                      reboot|off) echo "$(date +%s%N) fence $plug" >> @EVENTS@
                                  ip -n @NS@ addr del @VIP@/24 dev rmd0 2>/dev/null ;;
                    esac
                    exit 0
                    """.replace("@EVENTS@", events.toString()).replace("@NS@", ns).replace("@VIP@", vip));
            Files.setPosixFilePermissions(fence, PosixFilePermissions.fromString("rwx------"));
            Path resources = dir.resolve("resources.conf");
            Files.writeString(resources, "resources {\n options {\n  fencing-enabled: true\n }\n"
                    + " defaults {\n  resource-stickiness: 100\n }\n"
                    + " primitive {\n  id: vip\n  agent: builtin:vip\n  param: ip=" + vip + "\n  param: cidr_netmask=24\n"
                    + "  param: nic=rmd0\n  param: netns=" + ns + "\n  param: arp_count=0\n  op: monitor interval=1s\n }\n"
                    + " primitive {\n  id: app\n  agent: builtin:process\n"
                    + "  param: command=echo \"$(date +%s%N) start\" >> " + events + "; exec sleep 100000\n"
                    + "  op: monitor interval=1s\n }\n"
                    + " group {\n  id: svc\n  members: vip app\n }\n}\n");
            try (DaemonCluster c = DaemonCluster.create(dir, 3)) {
                c.appendConfig("crm {\n    plugin: simple\n    config: " + resources + "\n}\n"
                        + "fencing {\n    device {\n        name: power\n        agent: " + fence + "\n"
                        + "        host_list: n1 n2 n3\n        timeout: 20s\n        retries: 0\n    }\n}\n");
                c.startAll();
                String[] first = new String[1];
                await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    Optional<String> on = groupStartedOn(c, 1);
                    assertThat(on).as(c.logs()).isPresent();
                    first[0] = on.get();
                });
                String victim = first[0];
                int v = victim.charAt(1) - '0';
                int watcher = v == 1 ? 2 : 1;
                assertThat(ip("-n", ns, "-o", "addr", "show", "dev", "rmd0")).contains("inet " + vip + "/24");
                assertThat(Files.readAllLines(events)).hasSize(1).allMatch(l -> l.endsWith(" start"));

                c.killMachine(v);

                String[] moved = new String[1];
                await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    Optional<String> on = groupStartedOn(c, watcher);
                    assertThat(on).as(c.logs()).isPresent().get().isNotEqualTo(victim);
                    moved[0] = on.get();
                });
                DaemonCluster.Result status = c.ringctl(watcher, "status", "--json");
                assertThat(status.output()).contains("\"members\":[" + (v == 1 ? "2,3" : v == 2 ? "1,3" : "1,2") + "]")
                        .contains("\"quorum\":\"quorate\"")
                        .containsPattern("\\{\"target\":\"" + victim + "\",\"action\":\"reboot\",\"status\":\"SUCCEEDED\","
                                + "\"executor\":\"n[123]\",\"device\":\"power\"");
                // fencing first: the event file has the first start, then the fencing, then the start on the survivor
                List<String> lines = Files.readAllLines(events);
                assertThat(lines).as("events").hasSize(3);
                assertThat(lines.get(0)).endsWith(" start");
                assertThat(lines.get(1)).endsWith(" fence " + victim);
                assertThat(lines.get(2)).endsWith(" start");
                long fencedAt = Long.parseLong(lines.get(1).split(" ")[0]);
                long restartedAt = Long.parseLong(lines.get(2).split(" ")[0]);
                assertThat(fencedAt).isLessThan(restartedAt);
                // one address, one service
                String addrs = ip("-n", ns, "-o", "addr", "show", "dev", "rmd0");
                assertThat(addrs.split("inet " + vip + "/24", -1)).as(addrs).hasSize(2);
                int m = moved[0].charAt(1) - '0';
                assertThat(c.process(m).descendants().filter(p -> p.info().commandLine().orElse("")
                        .contains("sleep 100000"))).as("the service runs on " + moved[0]).hasSize(1);
                int other = 6 - v - m;
                assertThat(c.process(other).descendants().filter(p -> p.info().commandLine().orElse("")
                        .contains("sleep 100000"))).as("and not on n" + other).isEmpty();
            }
        } finally {
            ip("netns", "del", ns);
        }
    }
}
