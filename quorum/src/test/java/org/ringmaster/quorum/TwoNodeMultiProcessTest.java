package org.ringmaster.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.quorum.qdisk.FileDiskIo;
import org.ringmaster.quorum.qdisk.QuorumDisk;

/**
 * Two cluster nodes in two JVMs with a tiebreaker (qdisk on a shared file, or ping from inside network
 * namespaces); this test plays membership and the ordered channel (a sequencer: every multicast is
 * forwarded under one lock, so all members see the same order). Split the "network" and only the side
 * holding the tiebreaker stays quorate.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TwoNodeMultiProcessTest
{
    /** One child JVM and what it last reported. */
    static final class Child
    {
        final int id;
        final Process process;
        final PrintWriter in;
        final List<String> lines = new CopyOnWriteArrayList<>();
        volatile String state = "";
        volatile String qdisk = "";

        Child(final int id, final Process process)
        {
            this.id = id;
            this.process = process;
            this.in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        }

        boolean quorate()
        {
            return state.split(" ").length > 2 && state.split(" ")[2].equals("true");
        }
    }

    private final Object hub = new Object();
    private final Map<Integer, Integer> groupOf = new ConcurrentHashMap<>();
    private final TreeMap<Integer, Child> children = new TreeMap<>();
    private long ringSeq;

    private void reconfigure(final int[]... groups)
    {
        synchronized (hub)
        {
            for (int g = 0; g < groups.length; g++)
            {
                ringSeq += 4;
                final StringBuilder members = new StringBuilder();
                for (final int id : groups[g])
                {
                    groupOf.put(id, g);
                    members.append(members.length() == 0 ? "" : ",").append(id);
                }
                for (final int id : groups[g])
                {
                    children.get(id).in.println("CONFIG " + ringSeq + " " + groups[g][0] + " " + members);
                }
            }
        }
    }

    private void onLine(final Child from, final String line)
    {
        from.lines.add(line);
        if (line.startsWith("MCAST "))
        {
            synchronized (hub)
            {
                final Integer g = groupOf.get(from.id);
                for (final Child c : children.values())
                {
                    if (g != null && g.equals(groupOf.get(c.id)))
                    {
                        c.in.println("MSG " + line.substring(6));
                    }
                }
            }
        }
        else if (line.startsWith("STATE "))
        {
            from.state = line;
        }
        else if (line.startsWith("DEVICE "))
        {
            from.qdisk = line;
        }
    }

    private Path logDir;

    /** Every child's output and stderr, for failure messages. */
    private String dump()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Child c : children.values())
        {
            sb.append("--- node ").append(c.id).append(" alive=").append(c.process.isAlive()).append(" last state: ")
                .append(c.state).append(" / ").append(c.qdisk).append('\n');
            final List<String> l = c.lines.stream().filter(x -> !x.startsWith("MCAST")).toList();
            l.subList(Math.max(0, l.size() - 15), l.size()).forEach(x -> sb.append("  ").append(x).append('\n'));
            try
            {
                final String err = java.nio.file.Files.readString(logDir.resolve("node" + c.id + ".err"));
                sb.append("  stderr: ").append(err, Math.max(0, err.length() - 2000), err.length()).append('\n');
            }
            catch (final IOException ex)
            {
                sb.append("  stderr unreadable: ").append(ex.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    private void awaitOrDump(final Duration atMost, final java.util.concurrent.Callable<Boolean> condition)
    {
        try
        {
            await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(condition);
        }
        catch (final org.awaitility.core.ConditionTimeoutException ex)
        {
            throw new AssertionError(ex.getMessage() + "\n" + dump(), ex);
        }
    }

    private Child launch(final int id, final List<String> prefix, final String... deviceArgs) throws IOException
    {
        final List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // Agrona 2's UnsafeBuffer needs this export (the root pom passes it to surefire as ringmaster.jvm.flags).
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), ClusterNodeMain.class.getName(), Integer.toString(id)));
        cmd.addAll(List.of(deviceArgs));
        final Process p = new ProcessBuilder(cmd).redirectError(logDir.resolve("node" + id + ".err").toFile()).start();
        final Child c = new Child(id, p);
        final Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = r.readLine()) != null)
                {
                    onLine(c, line);
                }
            }
            catch (final IOException ignored)
            {
                // child gone
            }
        }, "node-" + id + "-stdout");
        t.setDaemon(true);
        t.start();
        return c;
    }

    /** The child currently reporting qdisk mastership, or null if none or both. */
    private static Child masterOf(final Child a, final Child b)
    {
        final boolean am = a.qdisk.equals("DEVICE MASTER true");
        final boolean bm = b.qdisk.equals("DEVICE MASTER true");
        return am == bm ? null : am ? a : b;
    }

    private static boolean run(final String... cmd) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void pingTargetReachableFromOneNamespaceOnlyDecides(@TempDir final Path dir) throws Exception
    {
        logDir = dir;
        final String nsUp = "rmq-q-up-" + ProcessHandle.current().pid();
        final String nsDown = "rmq-q-down-" + ProcessHandle.current().pid();
        final boolean root = "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
            StandardCharsets.UTF_8).trim());
        if (!root || !run("ip", "netns", "add", nsUp))
        {
            final String why = "needs root and iproute2 ('ip netns') to create network namespaces";
            if (System.getenv("CI") != null)
            {
                throw new AssertionError(why);
            }
            org.junit.jupiter.api.Assumptions.abort(why + "; skipped outside CI");
        }
        final List<Child> started = new ArrayList<>();
        try
        {
            assertThat(run("ip", "netns", "add", nsDown)).isTrue();
            // Same configuration on both nodes (ping 127.0.0.1); only nsUp has its loopback up.
            assertThat(run("ip", "netns", "exec", nsUp, "ip", "link", "set", "lo", "up")).isTrue();
            synchronized (hub)
            {
                final Child c1 = launch(1, List.of("ip", "netns", "exec", nsUp), "ping", "127.0.0.1");
                final Child c2 = launch(2, List.of("ip", "netns", "exec", nsDown), "ping", "127.0.0.1");
                started.add(c1);
                started.add(c2);
                children.put(1, c1);
                children.put(2, c2);
            }
            final Child n1 = children.get(1);
            final Child n2 = children.get(2);
            reconfigure(new int[] {1, 2});
            awaitOrDump(Duration.ofSeconds(30), () -> n1.quorate() && n2.quorate() && n1.state.endsWith(" 3 3"));
            awaitOrDump(Duration.ofSeconds(5), () -> n2.qdisk.equals("DEVICE score=0 false") &&
                n1.qdisk.equals("DEVICE score=1 true"));
            reconfigure(new int[] {1}, new int[] {2});
            awaitOrDump(Duration.ofSeconds(10), () -> n1.quorate() && !n2.quorate() && n1.state.endsWith(" 2 3"));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> n1.quorate() && !n2.quorate());
        }
        finally
        {
            for (final Child c : started)
            {
                c.in.close();
                c.process.destroyForcibly();
                c.process.waitFor(10, TimeUnit.SECONDS);
            }
            run("ip", "netns", "del", nsUp);
            run("ip", "netns", "del", nsDown);
        }
    }

    @Test
    void splitLeavesOnlyTheMastersSideQuorateAndGarbageChangesNothing(@TempDir final Path dir) throws Exception
    {
        logDir = dir;
        final Path file = dir.resolve("qdisk.img");
        try (FileDiskIo fmt = FileDiskIo.create(file))
        {
            QuorumDisk.format(fmt, "", 4);
        }
        final List<Child> started = new ArrayList<>();
        try
        {
            synchronized (hub)
            {
                for (final int id : new int[] {1, 2})
                {
                    final Child c = launch(id, List.of(), "qdisk", file.toString(), "100", "20");
                    started.add(c);
                    children.put(id, c);
                }
            }
            final Child n1 = children.get(1);
            final Child n2 = children.get(2);
            reconfigure(new int[] {1, 2});
            awaitOrDump(Duration.ofSeconds(30), () -> n1.quorate() && n2.quorate() && n1.state.endsWith(" 3 3"));
            awaitOrDump(Duration.ofSeconds(10), () -> masterOf(n1, n2) != null);

            reconfigure(new int[] {1}, new int[] {2});
            // Only the side holding the qdisk master is quorate. (On a starved machine the master may
            // move if a node stalls past the lease; the rule must hold for whoever is master.)
            awaitOrDump(Duration.ofSeconds(10), () -> {
                final Child m = masterOf(n1, n2);
                final Child o = m == n1 ? n2 : n1;
                return m != null && m.quorate() && !o.quorate() && m.state.endsWith(" 2 3");
            });
            // Stays that way, with garbage landing in an unused slot meanwhile; never both quorate.
            final Random rnd = new Random(5);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        final byte[] junk = new byte[512];
                        rnd.nextBytes(junk);
                        ch.write(ByteBuffer.wrap(junk), 3 * 512L);
                        assertThat(n1.quorate() && n2.quorate()).as("both sides quorate\n%s", dump()).isFalse();
                        final Child m = masterOf(n1, n2);
                        return m != null && m.quorate() && n1.process.isAlive() && n2.process.isAlive();
                    });
            }

            reconfigure(new int[] {1, 2});
            awaitOrDump(Duration.ofSeconds(10), () -> n1.quorate() && n2.quorate());
        }
        finally
        {
            for (final Child c : started)
            {
                c.in.close();
                c.process.destroyForcibly();
                c.process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
