package org.ringmaster.quorum;

import java.util.Arrays;

/**
 * What membership tells quorum on every new regular configuration: the ring id, the members (this
 * node included) and, relative to this node's previous configuration, who joined and who left. This
 * is our own narrow input type so that quorum does not depend on the membership module; the lead
 * wires membership's view-change callback to {@link VoteQuorum#onConfigurationChange}.
 */
public final class ConfigurationChange
{
    private final RingId ringId;
    private final int[] members;
    private final int[] joined;
    private final int[] left;

    public ConfigurationChange(final RingId ringId, final int[] members, final int[] joined, final int[] left)
    {
        this.ringId = ringId;
        this.members = sortedUnique("members", members);
        this.joined = sortedUnique("joined", joined);
        this.left = sortedUnique("left", left);
        for (final int j : this.joined)
        {
            if (!contains(j))
            {
                throw new IllegalArgumentException("joined node " + j + " is not a member of " + ringId);
            }
        }
        for (final int l : this.left)
        {
            if (contains(l))
            {
                throw new IllegalArgumentException("left node " + l + " is still a member of " + ringId);
            }
        }
    }

    private static int[] sortedUnique(final String what, final int[] ids)
    {
        final int[] copy = ids.clone();
        Arrays.sort(copy);
        for (int i = 0; i < copy.length; i++)
        {
            if (copy[i] <= 0 || (i > 0 && copy[i] == copy[i - 1]))
            {
                throw new IllegalArgumentException(what + " must be distinct positive node ids: " + Arrays.toString(ids));
            }
        }
        return copy;
    }

    public RingId ringId()
    {
        return ringId;
    }

    /** Members in ascending node id order (a copy). */
    public int[] members()
    {
        return members.clone();
    }

    public int[] joined()
    {
        return joined.clone();
    }

    public int[] left()
    {
        return left.clone();
    }

    public int memberCount()
    {
        return members.length;
    }

    public boolean contains(final int nodeId)
    {
        return Arrays.binarySearch(members, nodeId) >= 0;
    }

    int[] membersView()
    {
        return members;
    }

    int[] leftView()
    {
        return left;
    }

    int[] joinedView()
    {
        return joined;
    }

    @Override
    public String toString()
    {
        return "ring " + ringId + " members=" + Arrays.toString(members) + " joined=" + Arrays.toString(joined) +
            " left=" + Arrays.toString(left);
    }
}
