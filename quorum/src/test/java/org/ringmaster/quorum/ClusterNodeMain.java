package org.ringmaster.quorum;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.quorum.ping.IcmpProbe;
import org.ringmaster.quorum.ping.PingConfig;
import org.ringmaster.quorum.ping.PingDevice;
import org.ringmaster.quorum.qdisk.FileDiskIo;
import org.ringmaster.quorum.qdisk.ProcessHeuristicRunner;
import org.ringmaster.quorum.qdisk.QdiskConfig;
import org.ringmaster.quorum.qdisk.QuorumDisk;

/**
 * One cluster node in its own JVM for multi-process tests: VoteQuorum + a quorum device (a QuorumDisk on
 * a shared file, or ICMP/TCP ping of a target).
 * Membership and the ordered channel are played by the parent test over stdin/stdout:
 * <pre>
 * in : CONFIG seq rep m1,m2 | MSG base64
 * out: MCAST base64 | STATE ring quorate total expected | DEVICE detail cast
 * </pre>
 * Args: {@code nodeId qdisk file intervalMs tko} or {@code nodeId ping target}. Exits when stdin closes.
 */
public final class ClusterNodeMain
{
    private ClusterNodeMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final ConcurrentLinkedQueue<String> inbound = new ConcurrentLinkedQueue<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = r.readLine()) != null)
                {
                    inbound.add(line);
                }
            }
            catch (final java.io.IOException ignored)
            {
                // parent gone
            }
            System.exit(0);
        }, "stdin");
        reader.setDaemon(true);
        reader.start();

        final int nodeId = Integer.parseInt(args[0]);
        final QuorumConfig config = QuorumConfig.builder().nodesWithVotes(1, 1).deviceVotes(1).build();
        final QuorumDevice disk;
        if (args[1].equals("qdisk"))
        {
            final QdiskConfig qc = QdiskConfig.builder().intervalMs(Long.parseLong(args[3])).tko(Integer.parseInt(args[4]))
                .build();
            disk = new QuorumDisk(qc, nodeId, FileDiskIo.open(Path.of(args[2])), new ProcessHeuristicRunner(),
                ProcessHandle.current().pid());
        }
        else
        {
            disk = new PingDevice(PingConfig.builder().ping(args[2]).intervalMs(100).timeoutMs(300).deadPingMs(1000).build(),
                new IcmpProbe());
        }
        {
            final VoteQuorum quorum = new VoteQuorum(config, nodeId, (b, o, l) -> {
                final byte[] m = new byte[l];
                b.getBytes(o, m);
                synchronized (out)
                {
                    out.println("MCAST " + Base64.getEncoder().encodeToString(m));
                }
                return true;
            }, disk, s -> {
                synchronized (out)
                {
                    out.println("STATE " + s.ringId() + " " + s.quorate() + " " + s.totalVotes() + " " + s.expectedVotes());
                }
            }, null);
            final IdleStrategy idle = new SleepingMillisIdleStrategy(2);
            String lastDisk = "";
            int[] members = new int[0];
            while (true)
            {
                final long now = System.nanoTime();
                String line;
                while ((line = inbound.poll()) != null)
                {
                    final String[] f = line.split(" ");
                    if (f[0].equals("CONFIG"))
                    {
                        final int[] next = Arrays.stream(f[3].split(",")).mapToInt(Integer::parseInt).toArray();
                        final int[] prev = members;
                        final int[] joined = Arrays.stream(next).filter(m -> Arrays.stream(prev).noneMatch(p -> p == m)).toArray();
                        final int[] left = Arrays.stream(prev).filter(p -> Arrays.stream(next).noneMatch(m -> m == p)).toArray();
                        members = next;
                        quorum.onConfigurationChange(new ConfigurationChange(
                            new RingId(Long.parseLong(f[1]), Integer.parseInt(f[2])), next, joined, left), now);
                    }
                    else if (f[0].equals("MSG"))
                    {
                        final byte[] m = Base64.getDecoder().decode(f[1]);
                        quorum.onMessage(new UnsafeBuffer(m), 0, m.length, now);
                    }
                }
                quorum.doWork(now);
                final String d = "DEVICE " + (disk instanceof QuorumDisk q ? q.state() : "score=" + disk.score()) + " " +
                    disk.castsVote();
                if (!d.equals(lastDisk))
                {
                    synchronized (out)
                    {
                        out.println(d);
                    }
                    lastDisk = d;
                }
                idle.idle();
            }
        }
    }
}
