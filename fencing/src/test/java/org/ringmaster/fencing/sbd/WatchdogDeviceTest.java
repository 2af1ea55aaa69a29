package org.ringmaster.fencing.sbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The watchdog device protocol, against a plain file standing in for /dev/watchdog (never a real device). */
@Timeout(10)
class WatchdogDeviceTest {

    @Test
    void feedsAreWritesAndDisarmIsTheMagicClose(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("watchdog");
        Files.createFile(fake);
        WatchdogDevice w = new WatchdogDevice(fake);
        w.feed(0); // not armed: nothing written
        w.arm(Duration.ofSeconds(5), 0);
        w.feed(1);
        w.feed(2);
        assertThat(Files.readString(fake)).isEqualTo("11");
        w.disarm(3);
        assertThat(Files.readString(fake)).isEqualTo("11V");
        w.feed(4); // after an orderly disarm nothing more is written
        assertThat(Files.readString(fake)).isEqualTo("11V");
    }

    @Test
    void aDeviceThatCannotBeOpenedIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-watchdog");
        assertThatThrownBy(() -> new WatchdogDevice(missing).arm(Duration.ofSeconds(5), 0))
                .isInstanceOf(PoisonPillDiskException.class)
                .hasMessageStartingWith("watchdog " + missing + ": cannot open for writing");
    }
}
