package org.ringmaster.quorum.qdisk;

import java.nio.file.Path;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * A lone quorum-disk node in its own JVM, for multi-process tests: {@code file nodeId intervalMs tko}.
 * Prints one line per change ({@code STATE <state> CAST <bool> MASTER <id>}) and exits when its stdin
 * closes, so it never outlives the test that started it.
 */
public final class QdiskNodeMain
{
    private QdiskNodeMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Thread watchdog = new Thread(() -> {
            try
            {
                while (System.in.read() >= 0)
                {
                    // keep reading until the parent closes the pipe
                }
            }
            catch (final java.io.IOException ignored)
            {
                // parent gone
            }
            System.exit(0);
        }, "stdin-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        final QdiskConfig cfg = QdiskConfig.builder().intervalMs(Long.parseLong(args[2])).tko(Integer.parseInt(args[3]))
            .build();
        try (QuorumDisk disk = new QuorumDisk(cfg, Integer.parseInt(args[1]), FileDiskIo.open(Path.of(args[0])),
            new ProcessHeuristicRunner(), ProcessHandle.current().pid()))
        {
            final IdleStrategy idle = new SleepingMillisIdleStrategy(5);
            String last = "";
            while (true)
            {
                disk.doWork(System.nanoTime());
                final String line = "STATE " + disk.state() + " CAST " + disk.castsVote() + " MASTER " + disk.masterId();
                if (!line.equals(last))
                {
                    System.out.println(line);
                    System.out.flush();
                    last = line;
                }
                idle.idle();
            }
        }
    }
}
