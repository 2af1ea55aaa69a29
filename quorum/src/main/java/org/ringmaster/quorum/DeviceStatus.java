package org.ringmaster.quorum;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A snapshot of this node's quorum device, for status displays ({@code ringctl quorum}).
 *
 * @param model     {@link QuorumDevice#name()}, e.g. {@code qdisk} or {@code ping}.
 * @param votes     the device's votes ({@code quorum.device.votes}), counted once per partition.
 * @param castsVote whether this node currently claims them.
 * @param score     the device's health score.
 * @param details   {@link QuorumDevice#details()}.
 */
public record DeviceStatus(String model, int votes, boolean castsVote, int score, SortedMap<String, String> details)
{
    public DeviceStatus
    {
        details = Collections.unmodifiableSortedMap(new TreeMap<>(details));
    }
}
