package org.ringmaster.quorum;

/**
 * Identity of one membership configuration as membership reports it: a sequence number that grows
 * with every new ring, and the representative node that formed it. Ordered by sequence, then node.
 */
public record RingId(long seq, int representative) implements Comparable<RingId>
{
    /** Before the first configuration. */
    public static final RingId NONE = new RingId(0, 0);

    @Override
    public int compareTo(final RingId o)
    {
        final int c = Long.compare(seq, o.seq);
        return c != 0 ? c : Integer.compare(representative, o.representative);
    }

    @Override
    public String toString()
    {
        return representative + "." + seq;
    }
}
