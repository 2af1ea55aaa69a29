package org.ringmaster.totem;

/**
 * What a ring reports to the membership layer above it, on the ring's thread. A static ring
 * (no membership) has none and only counts these events.
 */
public interface RingEvents
{
    /** No token for {@code token} ms in an operational ring: Totem SRP shifts to gather. */
    void onTokenLoss(long nowNs);

    /** {@code nodeId} kept the aru down for fail_recv_const rotations (Totem SRP §6.2.2). */
    void onFailToReceive(int nodeId);

    /** A data message or token of another ring arrived: a partition healed or a node joined. */
    void onForeign(int type, int sender, long ringSeq, int ringRep);
}
