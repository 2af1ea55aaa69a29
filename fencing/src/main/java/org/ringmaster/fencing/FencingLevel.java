package org.ringmaster.fencing;

import java.util.List;

/**
 * One fencing topology level for a node: every device in it must succeed for the level to succeed.
 *
 * @param index   levels are tried in ascending index (1 first)
 * @param devices device names, used in order
 */
public record FencingLevel(int index, List<String> devices) {

    public FencingLevel {
        if (index < 1) {
            throw new IllegalArgumentException("fencing level index must be >= 1, was " + index);
        }
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("fencing level " + index + " has no devices");
        }
        devices = List.copyOf(devices);
    }

    public static FencingLevel of(int index, String... devices) {
        return new FencingLevel(index, List.of(devices));
    }
}
