package org.ringmaster.membership.link;

/** Health of one link to one peer, as the heartbeats see it. */
public enum LinkState
{
    /** No answer to our pings within {@code knet_ping_timeout}, or not yet {@code knet_pong_count} answers. */
    DOWN,
    /** Answers our pings: datagrams get there and back. */
    UP
}
