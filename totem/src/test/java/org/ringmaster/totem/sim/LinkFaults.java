package org.ringmaster.totem.sim;

/**
 * What the simulated network does to each datagram on a link: loss, duplication, and a delay
 * drawn uniformly from [minDelayNs, maxDelayNs] per copy, so a wide range reorders datagrams.
 */
public record LinkFaults(double loss, double duplication, long minDelayNs, long maxDelayNs)
{
    public static final LinkFaults PERFECT = new LinkFaults(0, 0, 50_000, 50_000);

    public LinkFaults
    {
        if (loss < 0 || loss >= 1 || duplication < 0 || duplication >= 1 || minDelayNs < 0 || maxDelayNs < minDelayNs)
        {
            throw new IllegalArgumentException("bad link faults: loss=" + loss + " duplication=" + duplication +
                " delay=" + minDelayNs + ".." + maxDelayNs);
        }
    }

    /** Loss and duplication as given, delays 20..400 µs so datagrams overtake each other. */
    public static LinkFaults lossy(final double loss, final double duplication)
    {
        return new LinkFaults(loss, duplication, 20_000, 400_000);
    }
}
