package org.ringmaster.totem.security;

import java.util.Collection;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * Per sender, the keys of the session the replay window last accepted and of the last session
 * tried: a restarted sender's first frames (a new session) and a forger's (any session id) then cost
 * one key derivation each without evicting the keys in use, and the accepted keys are replaced
 * only once a frame of the new session has been authenticated and accepted. Used by the AES seals,
 * whose keys are derived per (sender, session). One transport thread.
 *
 * @param <K> what is derived for one (sender, session)
 */
final class SessionKeys<K>
{
    /** Derives the keys of one (sender, session). */
    @FunctionalInterface
    interface Derivation<K>
    {
        K derive(int sender, long session);
    }

    private static final class Sender<K>
    {
        long acceptedSession;
        K accepted;
        long candidateSession;
        K candidate;
    }

    private final Int2ObjectHashMap<Sender<K>> senders = new Int2ObjectHashMap<>();
    private final Derivation<K> derivation;

    SessionKeys(final Collection<Integer> nodeIds, final Derivation<K> derivation)
    {
        this.derivation = derivation;
        for (final int id : nodeIds)
        {
            senders.put(id, new Sender<>());
        }
    }

    /** The keys to open a frame of this sender and session with; null for a sender outside the node list. */
    K keys(final int sender, final long session)
    {
        final Sender<K> s = senders.get(sender);
        if (s == null)
        {
            return null;
        }
        if (s.accepted != null && s.acceptedSession == session)
        {
            return s.accepted;
        }
        if (s.candidate == null || s.candidateSession != session)
        {
            s.candidate = derivation.derive(sender, session);
            s.candidateSession = session;
        }
        return s.candidate;
    }

    /** A frame of this sender and session was accepted: its keys become the accepted ones. */
    void accepted(final int sender, final long session)
    {
        final Sender<K> s = senders.get(sender);
        if (s != null && s.candidate != null && s.candidateSession == session)
        {
            final K previous = s.accepted;
            final long previousSession = s.acceptedSession;
            s.accepted = s.candidate;
            s.acceptedSession = session;
            s.candidate = previous;
            s.candidateSession = previousSession;
        }
    }
}
