package org.ringmaster.totem.security;

/**
 * Authenticates (and for AES-GCM encrypts) one frame in place. The caller writes the 24-byte
 * header and the payload; {@link #seal} appends the tag; {@link #open} checks it and leaves the
 * plaintext payload right after the header. One instance belongs to one transport thread.
 */
interface Seal
{
    SealMode mode();

    /** Start sealing under a new session of this node (AES-GCM derives a fresh key). */
    void startSession(int localNodeId, long session);

    /**
     * @param frame header + payload at 0; room for the tag after them.
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
