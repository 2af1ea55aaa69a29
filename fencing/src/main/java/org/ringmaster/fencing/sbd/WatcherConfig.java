package org.ringmaster.fencing.sbd;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a node's {@link PillWatcher}. Immutable, validated on construction (messages name the key).
 *
 * @param node          this node's name (its slot on the disk)
 * @param readInterval  how often the slot is read; default 1 s
 * @param diskTimeout   how long the disk may be unreadable before the node self-fences and stops feeding its
 *                      watchdog; default: the disk's watchdog timeout
 * @param quorumPolicy  what losing quorum does; default {@link QuorumPolicy#IGNORE} (disk health alone decides)
 * @param lossAction    self-fence action on disk/quorum loss: RESET (default) or OFF
 * @param clearOnStart  clear a pill found in the slot at start (SBD_STARTMODE=always); default true
 */
public record WatcherConfig(String node, Duration readInterval, Duration diskTimeout, QuorumPolicy quorumPolicy,
                            SlotMessage lossAction, boolean clearOnStart) {

    /** What the loss of quorum does to a node watching its pill. */
    public enum QuorumPolicy {
        /** Nothing: a node that still reads the disk stays up (the CRM stops its resources). */
        IGNORE,
        /** Self-fence (watchdog-only style): a partition without quorum must not keep running anything. */
        SELF_FENCE
    }

    public WatcherConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(readInterval, "readInterval");
        Objects.requireNonNull(diskTimeout, "diskTimeout");
        Objects.requireNonNull(quorumPolicy, "quorumPolicy");
        Objects.requireNonNull(lossAction, "lossAction");
        if (node.isBlank()) {
            throw new IllegalArgumentException("pill watcher: node is blank");
        }
        if (readInterval.toMillis() < 1) {
            throw new IllegalArgumentException("pill watcher: readInterval must be >= 1 ms, was " + readInterval);
        }
        if (diskTimeout.compareTo(readInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("pill watcher: diskTimeout (" + diskTimeout.toMillis()
                + " ms) must be at least 2 x readInterval (" + readInterval.toMillis() + " ms)");
        }
        if (!lossAction.isPill()) {
            throw new IllegalArgumentException("pill watcher: lossAction must be RESET or OFF, was " + lossAction);
        }
    }

    /** Defaults for {@code node} on a disk with {@code layout}. */
    public static WatcherConfig defaults(String node, PoisonPillDisk.Layout layout) {
        return new WatcherConfig(node, Duration.ofSeconds(1), layout.watchdogTimeout(), QuorumPolicy.IGNORE,
            SlotMessage.RESET, true);
    }

    public WatcherConfig withQuorumPolicy(QuorumPolicy p) {
        return new WatcherConfig(node, readInterval, diskTimeout, p, lossAction, clearOnStart);
    }

    public WatcherConfig withReadInterval(Duration d) {
        return new WatcherConfig(node, d, diskTimeout, quorumPolicy, lossAction, clearOnStart);
    }
}
