package org.ringmaster.fencing.sbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux watchdog character device ({@code /dev/watchdog}, a hardware driver or the softdog module) driven through
 * its file interface: opening it starts the countdown, every write restarts it, and writing {@code 'V'} just before
 * closing stops it ("magic close"). A process that dies without the magic close leaves the countdown running, so
 * the machine is reset: that is the backstop for a node that self-fences by ending its process or hangs.
 *
 * <p>The countdown length is the driver's own (e.g. softdog's {@code soft_margin}); setting it needs an ioctl,
 * which Java cannot issue, so it must be configured to at most the disk's watchdog timeout. Never point this at a
 * real device on a build or test machine.
 */
public final class WatchdogDevice implements Watchdog {

    private static final Logger LOG = LoggerFactory.getLogger(WatchdogDevice.class);
    private static final byte FEED = '1';
    private static final byte MAGIC_CLOSE = 'V';

    private final Path device;
    private final ByteBuffer one = ByteBuffer.allocate(1);
    private FileChannel channel;
    private boolean feedFailed;

    public WatchdogDevice(Path device) {
        this.device = Objects.requireNonNull(device, "device");
    }

    /**
     * Opens the device (starts the countdown).
     *
     * @throws PoisonPillDiskException naming the device when it cannot be opened
     */
    @Override
    public synchronized void arm(Duration timeout, long nowNs) {
        if (channel != null) {
            return;
        }
        try {
            channel = FileChannel.open(device, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new PoisonPillDiskException("watchdog " + device + ": cannot open for writing: " + e.getMessage(), e);
        }
        LOG.warn("watchdog {} armed: this machine is reset unless the node stays healthy (its timeout must be at "
            + "most {} ms)", device, timeout.toMillis());
    }

    @Override
    public synchronized void feed(long nowNs) {
        if (channel == null) {
            return;
        }
        try {
            write(FEED);
            feedFailed = false;
        } catch (IOException e) {
            if (!feedFailed) {
                LOG.error("watchdog {}: feeding failed (the machine will be reset if this lasts): {}", device,
                    e.getMessage());
            }
            feedFailed = true;
        }
    }

    @Override
    public synchronized void disarm(long nowNs) {
        if (channel == null) {
            return;
        }
        try {
            write(MAGIC_CLOSE);
            channel.close();
            LOG.info("watchdog {} disarmed", device);
        } catch (IOException e) {
            LOG.error("watchdog {}: disarming failed: {}", device, e.getMessage());
        } finally {
            channel = null;
        }
    }

    private void write(byte b) throws IOException {
        one.clear();
        one.put(b).flip();
        while (one.hasRemaining()) {
            channel.write(one);
        }
    }

    @Override
    public String toString() {
        return "watchdog " + device;
    }
}
