package org.ringmaster.fencing.sbd;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.ringmaster.fencing.DeviceCommand;
import org.ringmaster.fencing.DeviceOutcome;
import org.ringmaster.fencing.DeviceRunner;

/**
 * The built-in poison-pill fence device: {@code off} writes OFF and {@code reboot} writes RESET into the target's
 * slot, then the fencer waits the disk's msgwait (by then the target has either taken the pill or been reset by its
 * watchdog); {@code on} writes CLEAR. Register it for agent {@link org.ringmaster.fencing.FenceDevice#POISON_PILL}.
 */
public final class PoisonPillDeviceRunner implements DeviceRunner {

    private final PoisonPillDisk disk;
    private final String localNode;
    private final Executor io;
    private final LongSupplier wallMillis;

    /** @param io runs the (short, synchronous) disk writes */
    public PoisonPillDeviceRunner(PoisonPillDisk disk, String localNode, Executor io, LongSupplier wallMillis) {
        this.disk = Objects.requireNonNull(disk, "disk");
        this.localNode = Objects.requireNonNull(localNode, "localNode");
        this.io = Objects.requireNonNull(io, "io");
        this.wallMillis = Objects.requireNonNull(wallMillis, "wallMillis");
    }

    @Override
    public void start(DeviceCommand c, Consumer<DeviceOutcome> done) {
        SlotMessage m = switch (c.action()) {
            case OFF -> SlotMessage.OFF;
            case REBOOT -> SlotMessage.RESET;
            case ON -> SlotMessage.CLEAR;
            default -> null;
        };
        if (m == null) {
            done.accept(DeviceOutcome.failure("poison pill cannot " + c.action().wireName()));
            return;
        }
        try {
            io.execute(() -> done.accept(write(c, m)));
        } catch (RejectedExecutionException e) {
            done.accept(DeviceOutcome.failure("poison pill: fencer is shutting down"));
        }
    }

    private DeviceOutcome write(DeviceCommand c, SlotMessage m) {
        try {
            PoisonPillDisk.Slot s;
            synchronized (disk) {
                s = disk.message(c.plug(), m, localNode, wallMillis.getAsLong());
            }
            if (m == SlotMessage.CLEAR) {
                return DeviceOutcome.success("slot " + s.index() + " of " + c.plug() + " cleared");
            }
            return DeviceOutcome.successAfter(disk.layout().msgwait(), m + " written to slot " + s.index() + " of "
                + c.plug() + "; waited msgwait " + disk.layout().msgwait().toMillis() + " ms");
        } catch (IOException | RuntimeException e) {
            return DeviceOutcome.failure(String.valueOf(e.getMessage()));
        }
    }
}
