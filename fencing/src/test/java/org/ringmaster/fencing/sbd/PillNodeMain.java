package org.ringmaster.fencing.sbd;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A test-only node process: watches its slot on a shared poison-pill file in real time. Its watchdog is its stdout:
 * every feed prints {@code feed}; the test's supervisor kills the process when feeds stop (that is the "hardware"
 * reset). Self-fencing prints {@code SELF-FENCE <action> <reason>} and halts the process with exit code 42.
 *
 * <p>Arguments: image path, node name, read interval in ms.
 */
public final class PillNodeMain {

    static final int SELF_FENCED_EXIT = 42;

    private PillNodeMain() {
    }

    public static void main(String[] args) {
        Path image = Path.of(args[0]);
        String node = args[1];
        Duration interval = Duration.ofMillis(Long.parseLong(args[2]));
        PrintStream out = System.out;
        Watchdog pipe = new Watchdog() {
            @Override
            public void arm(Duration timeout, long nowNs) {
                out.println("armed " + timeout.toMillis());
                out.flush();
            }

            @Override
            public void feed(long nowNs) {
                out.println("feed");
                out.flush();
            }

            @Override
            public void disarm(long nowNs) {
                out.println("disarmed");
                out.flush();
            }
        };
        try (PoisonPillDisk disk = PoisonPillDisk.open(image)) {
            WatcherConfig cfg = new WatcherConfig(node, interval, disk.layout().watchdogTimeout(),
                WatcherConfig.QuorumPolicy.IGNORE, SlotMessage.RESET, true);
            PillWatcher w = new PillWatcher(cfg, disk, pipe, (action, reason) -> {
                out.println("SELF-FENCE " + action + " " + reason);
                out.flush();
                Runtime.getRuntime().halt(SELF_FENCED_EXIT);
            }, () -> true, System::currentTimeMillis);
            w.start(System.nanoTime());
            out.println("started slot " + w.slotIndex());
            out.flush();
            while (true) {
                w.doWork(System.nanoTime());
                LockSupport.parkNanos(interval.toNanos() / 2);
            }
        }
    }
}
