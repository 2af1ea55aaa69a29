package org.ringmaster.membership;

import org.agrona.DirectBuffer;
import org.ringmaster.totem.Guarantee;

/**
 * Totally ordered multicast with extended virtual synchrony: what the membership layer offers the
 * layers above (process groups, quorum, the CRM). Implemented by the Totem membership node and, in
 * tests, by in-memory fakes.
 */
public interface EvsChannel
{
    /** This node's id. */
    int nodeId();

    /**
     * Queue a message for ordered multicast in the current (or, during a configuration change,
     * the next) regular configuration. Thread-safe.
     *
     * @return {@code false} under back-pressure: retry later.
     */
    boolean offer(DirectBuffer buffer, int offset, int length, Guarantee guarantee);

    /** Largest message {@link #offer} takes. */
    int maxMessageSize();

    /** Set the one listener; call before the channel starts. */
    void listener(EvsListener listener);
}
