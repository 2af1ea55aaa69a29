package org.ringmaster.quorum.qdisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A quorum disk shared between this JVM and a child JVM through a real file. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QdiskMultiProcessTest
{
    private static final long INTERVAL_MS = 100;
    // 2 s of missed heartbeats: long enough that a starved CI machine does not look like a dead node.
    private static final int TKO = 20;

    @Test
    void masterInAnotherProcessIsRespectedAndReplacedWhenItDies(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("shared-qdisk.img");
        try (FileDiskIo fmt = FileDiskIo.create(file))
        {
            QuorumDisk.format(fmt, "", 4);
        }
        final Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), QdiskNodeMain.class.getName(), file.toString(), "2",
            Long.toString(INTERVAL_MS), Integer.toString(TKO))
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = r.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final IOException ignored)
            {
                // child killed
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
        final QdiskConfig cfg = QdiskConfig.builder().intervalMs(INTERVAL_MS).tko(TKO).build();
        try (QuorumDisk local = new QuorumDisk(cfg, 1, FileDiskIo.open(file), new ScriptedHeuristics(), 1))
        {
            // The child is alone on the disk and becomes master.
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("STATE MASTER CAST true MASTER 2"));
            // We (node 1, lower id) join: we see the master online and follow instead of preempting.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                local.doWork(System.nanoTime());
                return local.masterId() == 2 && local.state() == QdiskState.RUN;
            });
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                final byte[] junk = new byte[512];
                new java.util.Random(9).nextBytes(junk);
                ch.write(ByteBuffer.wrap(junk), 3 * 512L); // garbage in an unused slot
            }
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    local.doWork(System.nanoTime());
                    return !local.castsVote() && local.masterId() == 2 && child.isAlive();
                });
            assertThat(local.garbageSlots()).containsExactly(3);
            assertThat(lines).doesNotContain("STATE MASTER CAST false MASTER 2");

            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
            final long killedNs = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
                local.doWork(System.nanoTime());
                return local.castsVote();
            });
            final long takeoverMs = (System.nanoTime() - killedNs) / 1_000_000;
            assertThat(takeoverMs).as("takeover waits for tko missed heartbeats").isGreaterThanOrEqualTo((TKO - 1) * INTERVAL_MS);
            assertThat(local.state()).isEqualTo(QdiskState.MASTER);
        }
        finally
        {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
