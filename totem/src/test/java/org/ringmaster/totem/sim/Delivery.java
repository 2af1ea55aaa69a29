package org.ringmaster.totem.sim;

import org.ringmaster.totem.Guarantee;

/** One message as a node delivered it, for the invariant checker. */
public record Delivery(int sender, long counter, long seq, Guarantee guarantee, long atNs, boolean intact)
{
}
