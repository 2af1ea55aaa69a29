package org.ringmaster.fencing.sbd;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node watching its own slot on the poison-pill disk (deterministic; driven by {@link #doWork(long)}).
 *
 * <p>Every read interval it reads its slot. A new RESET/OFF message makes it self-fence. The node feeds its
 * watchdog only while healthy: the disk was read successfully within the disk timeout and (per policy) the
 * partition is quorate. When it becomes unhealthy it self-fences at once and stops feeding, so even if the
 * self-fence does not happen (process hung), the watchdog resets the machine. A corrupt slot (garbage) is never a
 * pill; it is counted and reported.
 */
public final class PillWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(PillWatcher.class);

    /** Watcher states; codes are stable. */
    public enum State {
        STARTING(0), HEALTHY(1), UNHEALTHY(2), SELF_FENCED(3);

        final int code;

        State(int code) {
            this.code = code;
        }
    }

    private final WatcherConfig config;
    private final PoisonPillDisk disk;
    private final Watchdog watchdog;
    private final SelfFence selfFence;
    private final BooleanSupplier quorate;
    private final LongSupplier wallMillis;

    private State state = State.STARTING;
    private int slotIndex = -1;
    private long seenSequence;
    private long lastDiskOkNs;
    private long nextReadNs;
    private String lastDiskError = "";
    private long corruptReads;

    public PillWatcher(WatcherConfig config, PoisonPillDisk disk, Watchdog watchdog, SelfFence selfFence,
                       BooleanSupplier quorate, LongSupplier wallMillis) {
        this.config = Objects.requireNonNull(config, "config");
        this.disk = Objects.requireNonNull(disk, "disk");
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
        this.selfFence = Objects.requireNonNull(selfFence, "selfFence");
        this.quorate = Objects.requireNonNull(quorate, "quorate");
        this.wallMillis = Objects.requireNonNull(wallMillis, "wallMillis");
    }

    /**
     * Allocates (or finds) this node's slot, clears a stale pill if configured, and arms the watchdog.
     *
     * @throws PoisonPillDiskException when the disk cannot be used; the node must not start then
     */
    public void start(long nowNs) {
        try {
            slotIndex = disk.allocate(config.node());
            Optional<PoisonPillDisk.Slot> slot = disk.read(slotIndex).slot();
            seenSequence = slot.map(PoisonPillDisk.Slot::sequence).orElse(0L);
            if (slot.isPresent() && slot.get().message().isPill()) {
                if (!config.clearOnStart()) {
                    throw new PoisonPillDiskException(disk + ": slot " + slotIndex + " of " + config.node() + " holds "
                        + slot.get().message() + " from " + slot.get().sender() + "; clear it before starting");
                }
                seenSequence = disk.message(config.node(), SlotMessage.CLEAR, config.node(), wallMillis.getAsLong())
                    .sequence();
                LOG.warn("{}: cleared stale {} from {} in slot {} at start", disk, slot.get().message(),
                    slot.get().sender(), slotIndex);
            }
        } catch (IOException e) {
            throw new PoisonPillDiskException(e.getMessage(), e);
        }
        lastDiskOkNs = nowNs;
        nextReadNs = nowNs;
        watchdog.arm(disk.layout().watchdogTimeout(), nowNs);
        state(State.HEALTHY, "watching slot " + slotIndex);
    }

    /** @return work done (0 = idle) */
    public int doWork(long nowNs) {
        if (state == State.STARTING || state == State.SELF_FENCED) {
            return 0;
        }
        int work = 0;
        if (nowNs - nextReadNs >= 0) {
            nextReadNs = nowNs + config.readInterval().toNanos();
            work++;
            readSlot(nowNs);
            if (state == State.SELF_FENCED) {
                return work;
            }
        }
        String unhealthy = unhealthyReason(nowNs);
        if (unhealthy == null) {
            watchdog.feed(nowNs);
            if (state != State.HEALTHY) {
                state(State.HEALTHY, "disk readable again");
            }
        } else {
            // Stop feeding first: if the self-fence below hangs, the watchdog still resets the machine.
            state(State.UNHEALTHY, unhealthy);
            fence(config.lossAction(), unhealthy);
            work++;
        }
        return work;
    }

    /** Stops cleanly (disarms the watchdog); only for an orderly shutdown of a healthy node. */
    public void stop(long nowNs) {
        if (state == State.HEALTHY) {
            watchdog.disarm(nowNs);
        }
    }

    public State state() {
        return state;
    }

    public int slotIndex() {
        return slotIndex;
    }

    /** Reads of this node's slot that found garbage (never treated as a pill). */
    public long corruptReads() {
        return corruptReads;
    }

    /** The last disk error, empty if none since the last successful read. */
    public String lastDiskError() {
        return lastDiskError;
    }

    private void readSlot(long nowNs) {
        PoisonPillDisk.SlotRead read;
        try {
            read = disk.read(slotIndex);
        } catch (IOException e) {
            if (lastDiskError.isEmpty()) {
                LOG.error("{}: {}", config.node(), e.getMessage());
            }
            lastDiskError = e.getMessage();
            return;
        }
        lastDiskOkNs = nowNs;
        lastDiskError = "";
        if (read.slot().isEmpty() || !read.slot().get().node().equals(config.node())) {
            corruptReads++;
            LOG.warn("{}: slot {} of {} is {} — not a pill; fix the disk", disk, slotIndex, config.node(),
                read.isFree() ? "free (wiped?)" : read.slot().isPresent() ? "owned by " + read.slot().get().node()
                    : "corrupt: " + read.corrupt());
            return;
        }
        PoisonPillDisk.Slot s = read.slot().get();
        if (s.sequence() == seenSequence) {
            return;
        }
        seenSequence = s.sequence();
        if (s.message().isPill()) {
            fence(s.message(), "poison pill " + s.message() + " from " + s.sender());
        } else if (s.message() == SlotMessage.TEST) {
            LOG.info("{}: test message from {} in slot {}", config.node(), s.sender(), slotIndex);
        }
    }

    private String unhealthyReason(long nowNs) {
        long sinceOk = nowNs - lastDiskOkNs;
        if (sinceOk >= config.diskTimeout().toNanos()) {
            return "no successful read of " + disk + " for " + sinceOk / 1_000_000 + " ms (diskTimeout "
                + config.diskTimeout().toMillis() + " ms)" + (lastDiskError.isEmpty() ? "" : ": " + lastDiskError);
        }
        if (config.quorumPolicy() == WatcherConfig.QuorumPolicy.SELF_FENCE && !quorate.getAsBoolean()) {
            return "partition lost quorum (quorumPolicy SELF_FENCE)";
        }
        return null;
    }

    private void fence(SlotMessage action, String reason) {
        state(State.SELF_FENCED, reason);
        LOG.error("{}: SELF-FENCING ({}): {}", config.node(), action, reason);
        selfFence.selfFence(action, reason);
    }

    private void state(State next, String reason) {
        if (next == state) {
            return;
        }
        LOG.info("pill watcher {}: {} -> {} ({})", config.node(), state, next, reason);
        state = next;
    }
}
