package org.ringmaster.totem.security;

/**
 * Authenticates (and for AES-GCM encrypts) one frame in place. The caller writes the 24-byte
 * header and the payload; {@link #seal} appends the tag; {@link #open} checks it and leaves the
 * plaintext payload right after the header. One instance belongs to one transport thread.
 */
interface Seal
{
    SealMode mode();

    /** The mode a payload of this length is sealed with (one seal may use two, see {@link AesSeal}). */
    default SealMode modeFor(final int payloadLength)
    {
        return mode();
    }

    /** Whether frames marked with this mode code are this seal's to open. */
    default boolean opens(final int frameMode)
    {
        return frameMode == mode().code;
    }

    /** Start sealing under a new session of this node (AES-GCM derives a fresh key). */
    void startSession(int localNodeId, long session);

    /**
     * @param frame header (mode byte already {@link #modeFor} the payload) + payload at 0; room for the tag after them.
     * @return the sealed frame's length.
     */
    int seal(byte[] frame, int payloadLength);

    /**
     * @return the payload length if the frame is authentic, -1 if not.
     */
    int open(byte[] frame, int length, int sender, long session, long counter);

    /** The frame just opened from this sender and session was accepted by the replay window. */
    void accepted(int sender, long session);
}
