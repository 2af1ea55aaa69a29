package org.ringmaster.agents.builtin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.ringmaster.agents.process.ProcessOutcome;
import org.ringmaster.agents.process.ProcessRunner;
import org.ringmaster.crm.api.resource.OcfExitCode;
import org.ringmaster.crm.api.resource.ResourceOperation;

/**
 * {@code builtin:vip}: a virtual IP address, the IPaddr2 equivalent. start runs {@code ip addr add IP/CIDR dev NIC
 * [label NIC:LABEL]} and then announces the address with gratuitous ARP ({@code arping -U}, iputils) so that
 * neighbours and routers learn the new MAC at once; monitor = the address is on the interface; stop =
 * {@code ip addr del}. When {@code nic} is not given the interface is the one whose configured subnet contains the
 * address (like IPaddr2's findif), and {@code cidr_netmask} defaults to that subnet's prefix. IPv6 addresses are
 * added with {@code nodad} and announced with unsolicited neighbour advertisements by resource-agents'
 * {@code send_ua} when it is installed (else a warning).
 * With {@code netns} every command runs in that network namespace ({@code ip netns exec}).
 */
public final class VipAgent extends BuiltinAgent {
    private static final String METADATA = """
        <?xml version="1.0"?>
        <resource-agent name="vip" version="1.0">
          <version>1.1</version>
          <shortdesc lang="en">Built-in virtual IP address with gratuitous ARP</shortdesc>
          <parameters>
            <parameter name="ip" required="1" unique="1"><shortdesc lang="en">IPv4 or IPv6 address</shortdesc><content type="string"/></parameter>
            <parameter name="cidr_netmask"><shortdesc lang="en">Prefix length</shortdesc><content type="integer"/></parameter>
            <parameter name="nic"><shortdesc lang="en">Interface</shortdesc><content type="string"/></parameter>
            <parameter name="label"><shortdesc lang="en">Address label suffix (NIC:LABEL)</shortdesc><content type="string"/></parameter>
            <parameter name="arp_count"><shortdesc lang="en">Gratuitous ARPs sent after start</shortdesc><content type="integer" default="5"/></parameter>
            <parameter name="arp_interval"><shortdesc lang="en">Seconds between ARPs (arping takes whole seconds)</shortdesc><content type="integer" default="1"/></parameter>
            <parameter name="arp_bg"><shortdesc lang="en">Send the ARPs in the background so start returns at once</shortdesc><content type="boolean" default="true"/></parameter>
            <parameter name="netns"><shortdesc lang="en">Network namespace to act in</shortdesc><content type="string"/></parameter>
          </parameters>
          <actions>
            <action name="start" timeout="20s"/>
            <action name="stop" timeout="20s"/>
            <action name="monitor" timeout="20s" interval="10s"/>
            <action name="validate-all" timeout="20s"/>
            <action name="meta-data" timeout="5s"/>
          </actions>
        </resource-agent>
        """;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VipAgent.class);
    /** Where Debian's and RHEL's resource-agents install send_ua. */
    static final List<String> SEND_UA = List.of("/usr/libexec/heartbeat/send_ua", "/usr/lib/heartbeat/send_ua");

    private final ProcessRunner runner;
    /** Background announcers by resource, so stop (or a new start) can end them. */
    private final java.util.Map<String, Process> announcers = new java.util.concurrent.ConcurrentHashMap<>();

    public VipAgent(ProcessRunner runner) {
        super("vip", METADATA, Set.of("start", "stop", "monitor", "validate-all"));
        this.runner = runner;
    }

    @Override
    protected Result perform(ResourceOperation op, long deadlineNs) throws IOException {
        InetAddress ip;
        try {
            ip = parseLiteral(op.parameters().get("ip"));
        } catch (UnknownHostException e) {
            return Result.rc(OcfExitCode.ERR_CONFIGURED, "ip '" + op.parameters().get("ip") + "' is not an IP address");
        }
        if (op.action().equals("stop")) {
            stopAnnouncer(op.resourceId());
        }
        Cmd cmd = new Cmd(op, deadlineNs);
        Optional<Iface> where = locate(op, ip, cmd);
        if (where.isEmpty()) {
            String nic = param(op, "nic", "");
            String why = nic.isEmpty() ? "no interface has a subnet containing " + ip.getHostAddress()
                + " (set nic and cidr_netmask)" : "interface " + nic + " does not exist";
            return op.action().equals("start") || op.action().equals("validate-all")
                ? Result.rc(OcfExitCode.ERR_CONFIGURED, why)
                : Result.rc(OcfExitCode.NOT_RUNNING, "");
        }
        Iface itf = where.get();
        String addr = ip.getHostAddress() + "/" + itf.prefix;
        return switch (op.action()) {
            case "start" -> start(op, cmd, ip, itf, addr);
            case "stop" -> present(cmd, itf, ip) ? del(cmd, itf, ip, addr) : Result.ok("");
            case "monitor" -> present(cmd, itf, ip) ? Result.ok("") : Result.rc(OcfExitCode.NOT_RUNNING, "");
            default -> Result.ok("");
        };
    }

    private Result start(ResourceOperation op, Cmd cmd, InetAddress ip, Iface itf, String addr) throws IOException {
        if (!present(cmd, itf, ip)) {
            List<String> add = new ArrayList<>(List.of("ip", ip.getAddress().length == 16 ? "-6" : "-4", "addr", "add",
                addr, "dev", itf.name));
            String label = param(op, "label", "");
            if (!label.isEmpty() && ip.getAddress().length == 4) {
                add.addAll(List.of("label", itf.name + ":" + label));
            }
            if (ip.getAddress().length == 16) {
                add.add("nodad");
            }
            ProcessOutcome out = cmd.run(add);
            if (out.timedOut()) {
                return Result.timeout("ip addr add " + addr + " dev " + itf.name);
            }
            if (out.exitCode() != 0) {
                return new Result(OcfExitCode.ERR_GENERIC.code(), "ip addr add " + addr + " dev " + itf.name
                    + " failed: " + out.outputTail().strip(), out.outputTail(), false);
            }
        }
        return announce(op, cmd, ip, itf);
    }

    /** Gratuitous ARP so that switches and neighbours learn the address's new home now, not at ARP expiry. */
    private Result announce(ResourceOperation op, Cmd cmd, InetAddress ip, Iface itf) throws IOException {
        int count = Integer.parseInt(param(op, "arp_count", "5").trim());
        if (count <= 0) {
            return Result.ok("");
        }
        int interval = Math.max(1, Integer.parseInt(param(op, "arp_interval", "1").trim()));
        List<String> arping;
        if (ip.getAddress().length == 4) {
            arping = List.of("arping", "-U", "-q", "-c", Integer.toString(count), "-i", Integer.toString(interval),
                "-I", itf.name, ip.getHostAddress());
        } else {
            // IPv6: unsolicited neighbour advertisements with resource-agents' send_ua, when installed.
            Optional<String> sendUa = SEND_UA.stream().filter(p -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(p)))
                .findFirst();
            if (sendUa.isEmpty()) {
                LOG.warn("{}: no send_ua ({}); {} is up but not announced", id, SEND_UA, ip.getHostAddress());
                return Result.ok("");
            }
            arping = List.of(sendUa.get(), "-i", Integer.toString(interval * 1000), "-c", Integer.toString(count),
                ip.getHostAddress(), Integer.toString(itf.prefix), itf.name);
        }
        boolean background = Set.of("1", "yes", "y", "true", "on")
            .contains(param(op, "arp_bg", "true").toLowerCase(java.util.Locale.ROOT));
        if (background) {
            stopAnnouncer(op.resourceId());
            announcers.put(op.resourceId(), cmd.spawn(arping));
            return Result.ok("");
        }
        ProcessOutcome out = cmd.run(arping);
        if (out.timedOut()) {
            return Result.timeout(arping.get(0) + " " + ip.getHostAddress() + " on " + itf.name);
        }
        if (out.exitCode() != 0) {
            return new Result(OcfExitCode.ERR_GENERIC.code(), "announcement (" + arping.get(0) + ") failed with code "
                + out.exitCode() + ": " + out.outputTail().strip(), out.outputTail(), false);
        }
        return Result.ok(out.outputTail());
    }

    private void stopAnnouncer(String resourceId) {
        Process p = announcers.remove(resourceId);
        if (p != null && p.isAlive()) {
            ProcessRunner.killGroup(p.pid(), Duration.ofMillis(200));
        }
    }

    private Result del(Cmd cmd, Iface itf, InetAddress ip, String addr) throws IOException {
        ProcessOutcome out = cmd.run(List.of("ip", "addr", "del", addr, "dev", itf.name));
        if (out.timedOut()) {
            return Result.timeout("ip addr del " + addr + " dev " + itf.name);
        }
        // Stop means "the address is not here": if someone else removed it between our check and our
        // delete (a second stop racing this one), that is a successful stop, not a failed one to fence for.
        if (out.exitCode() != 0 && !present(cmd, itf, ip)) {
            return Result.ok("already removed: " + out.outputTail().strip());
        }
        if (out.exitCode() != 0) {
            return new Result(OcfExitCode.ERR_GENERIC.code(), "ip addr del " + addr + " dev " + itf.name + " failed: "
                + out.outputTail().strip(), out.outputTail(), false);
        }
        return Result.ok("");
    }

    private static boolean present(Cmd cmd, Iface itf, InetAddress ip) throws IOException {
        ProcessOutcome out = cmd.run(List.of("ip", "-o", "addr", "show", "dev", itf.name));
        if (out.exitCode() != 0) {
            return false;
        }
        for (IfAddr a : IfAddr.parse(out.stdout())) {
            if (a.address.equals(ip)) {
                return true;
            }
        }
        return false;
    }

    /** The interface (given or found from the subnets) and prefix to use. */
    private static Optional<Iface> locate(ResourceOperation op, InetAddress ip, Cmd cmd) throws IOException {
        String nic = param(op, "nic", "");
        String cidr = param(op, "cidr_netmask", "");
        ProcessOutcome out = cmd.run(List.of("ip", "-o", "addr", "show"));
        if (out.exitCode() != 0) {
            throw new IOException("ip -o addr show failed: " + out.outputTail().strip());
        }
        List<IfAddr> addrs = IfAddr.parse(out.stdout());
        IfAddr best = null;
        for (IfAddr a : addrs) {
            if (a.address.getAddress().length != ip.getAddress().length || (!nic.isEmpty() && !a.iface.equals(nic))) {
                continue;
            }
            if (a.contains(ip) && !a.address.equals(ip) && (best == null || a.prefix > best.prefix)) {
                best = a;
            }
        }
        if (!nic.isEmpty()) {
            ProcessOutcome link = cmd.run(List.of("ip", "-o", "link", "show", "dev", nic));
            if (link.exitCode() != 0) {
                return Optional.empty();
            }
            int prefix = !cidr.isEmpty() ? Integer.parseInt(cidr.trim()) : best != null ? best.prefix
                : ip.getAddress().length * 8;
            return Optional.of(new Iface(nic, prefix));
        }
        if (best == null) {
            // The address itself may already be up (a restart of the LRM): use its interface.
            for (IfAddr a : addrs) {
                if (a.address.equals(ip)) {
                    return Optional.of(new Iface(a.iface, cidr.isEmpty() ? a.prefix : Integer.parseInt(cidr.trim())));
                }
            }
            return Optional.empty();
        }
        return Optional.of(new Iface(best.iface, cidr.isEmpty() ? best.prefix : Integer.parseInt(cidr.trim())));
    }

    static InetAddress parseLiteral(String text) throws UnknownHostException {
        // Only literals: InetAddress.getByName would otherwise do a DNS lookup.
        if (text == null || !text.matches("[0-9a-fA-F:.]+") || (!text.contains(".") && !text.contains(":"))) {
            throw new UnknownHostException(text);
        }
        return InetAddress.getByName(text);
    }

    private record Iface(String name, int prefix) {
    }

    /** One line of {@code ip -o addr show}: {@code 2: eth0    inet 10.0.0.1/24 brd ... scope global eth0}. */
    record IfAddr(String iface, InetAddress address, int prefix) {
        static List<IfAddr> parse(String text) {
            List<IfAddr> out = new ArrayList<>();
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                for (int i = 2; i + 1 < f.length; i++) {
                    if ((f[i].equals("inet") || f[i].equals("inet6")) && f[i + 1].contains("/")) {
                        String[] ap = f[i + 1].split("/");
                        try {
                            String name = f[1].endsWith(":") ? f[1].substring(0, f[1].length() - 1) : f[1];
                            int at = name.indexOf('@');
                            out.add(new IfAddr(at > 0 ? name.substring(0, at) : name, parseLiteral(ap[0]),
                                Integer.parseInt(ap[1])));
                        } catch (UnknownHostException | NumberFormatException e) {
                            // not an address line we understand
                        }
                        break;
                    }
                }
            }
            return out;
        }

        boolean contains(InetAddress other) {
            byte[] a = address.getAddress();
            byte[] b = other.getAddress();
            if (a.length != b.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Runs commands within the operation's deadline, inside its network namespace if one is set. */
    private final class Cmd {
        private final List<String> prefix;
        private final long deadlineNs;

        Cmd(ResourceOperation op, long deadlineNs) {
            String ns = param(op, "netns", "");
            this.prefix = ns.isEmpty() ? List.of() : List.of("ip", "netns", "exec", ns);
            this.deadlineNs = deadlineNs;
        }

        ProcessOutcome run(List<String> command) throws IOException {
            List<String> full = new ArrayList<>(prefix);
            full.addAll(command);
            return runner.run(full, java.util.Map.of(), Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                remainingNs(deadlineNs))), true);
        }

        Process spawn(List<String> command) throws IOException {
            List<String> full = new ArrayList<>();
            full.add(runner.settings().setsid());
            full.addAll(runner.settings().commandPrefix());
            full.addAll(prefix);
            full.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("PATH", runner.settings().path());
            return pb.start();
        }
    }
}
