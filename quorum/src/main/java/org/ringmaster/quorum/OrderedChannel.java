package org.ringmaster.quorum;

import org.agrona.DirectBuffer;

/**
 * Agreed-order multicast to the current configuration, as membership will provide it: every message
 * is delivered to every member, the sender included, in the same total order, and within the
 * configuration it was sent in (extended virtual synchrony). Delivery comes back through
 * {@link VoteQuorum#onMessage}.
 */
@FunctionalInterface
public interface OrderedChannel
{
    /**
     * Queues a message for agreed delivery.
     *
     * @return false under back-pressure; the caller keeps the message and retries on its next duty cycle.
     */
    boolean multicast(DirectBuffer buffer, int offset, int length);
}
