package org.ringmaster.totem;

/**
 * Identifies one ring: a sequence number that only grows at every node, and the representative
 * (the member with the smallest node id). Equal only when both fields are equal.
 */
public record RingId(long seq, int rep)
{
    @Override
    public String toString()
    {
        return seq + "/" + rep;
    }
}
