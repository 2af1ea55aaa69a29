/**
 * Datagram security for the Totem transports: the shared authkey, its keygen, corosync-style
 * {@code crypto_hash}/{@code crypto_cipher} settings, and {@link org.ringmaster.totem.security.SecureTransport},
 * a decorator that seals every datagram of any transport.
 *
 * <h2>Frame</h2>
 * <pre>
 *  0  u8   version (1)
 *  1  u8   mode: 1 HMAC-SHA-256, 2 HMAC-SHA-384, 3 HMAC-SHA-512, 4 AES-256-GCM,
 *          5 AES-256-CTR + HMAC-SHA-256 (payloads of up to 192 bytes under crypto_cipher aes256)
 *  2  u16  reserved, 0
 *  4  u32  sender node id
 *  8  u64  session id: sender's start time in unix seconds (high 32 bits) | 32 random bits
 * 16  u64  counter: 1, 2, 3 ... within the session, one per sealed datagram
 * 24  ...  payload: plaintext (HMAC) or ciphertext (GCM, CTR)
 *  end     tag: full HMAC (32/48/64 bytes), GCM tag (16 bytes) or HMAC-SHA-256 of header and
 *          ciphertext cut to 16 bytes (CTR), over header and payload
 * </pre>
 * Big-endian. Overhead: 56 bytes for HMAC-SHA-256, 40 for AES-256-GCM; the decorator's
 * {@code maxDatagramLength()} is the inner one minus that, so the ring packs frames that still fit
 * in {@code netmtu}. The whole header is authenticated (GCM: as associated data), so the sender
 * id, session and counter cannot be changed without failing the tag.
 *
 * <h2>Keys</h2>
 * The authkey (128..4096 random bytes, mode 0400) is never used directly. HKDF-SHA-256 (RFC 5869)
 * with a fixed salt extracts a pseudo-random key; each use expands it under its own label that also
 * names the cluster: one HMAC key per hash, one AES-GCM master key, one AES-CTR + HMAC master key.
 * Each AES seal then derives keys per (sender, session) from its master key. Why: the same file may serve several modes or be copied
 * to another cluster by mistake, and no two of those may share a key.
 *
 * <h2>Nonces</h2>
 * GCM's 96-bit nonce is sender id | counter under that (sender, session) key; CTR's counter block is
 * sender id | counter | block index under its own (sender, session) key. The counter only
 * goes up, and each process start picks a fresh random session and therefore a fresh key, so a
 * nonce never repeats under one key although all nodes share the authkey and nothing is stored on
 * disk. Should a counter ever reach 2^63 the sender starts a new session.
 *
 * <h2>Replay window</h2>
 * Per sender, the receiver keeps the current session and a 1024-bit sliding window of counters,
 * updated only after the tag checked out. A counter seen before, or more than 1024 behind the
 * highest, is dropped as REPLAYED; reordering within 1024 datagrams is fine. A different session
 * is accepted when it started later (a restart), or when the current one has been silent for two
 * seconds (a sender whose clock stepped back across a restart). Limits, which is why the ring also
 * filters traffic of old rings by ring id and sequence number:
 * <ul>
 *   <li>a receiver that restarts forgets its windows, so it accepts one replay of each datagram
 *       recorded from a sender's current session;</li>
 *   <li>once a sender has been silent for two seconds (crashed), recorded frames of an older session
 *       are accepted again until the sender returns with a newer session;</li>
 *   <li>frames delayed by more than 1024 newer ones are dropped as REPLAYED though they were not.</li>
 * </ul>
 * All nodes share one key, so a node holding it could impersonate another; the authkey is a
 * cluster membership secret, not per-node identity (as in corosync).
 *
 * <h2>Costs</h2>
 * Digest and Cipher objects and frame buffers are created once per transport and reused; sending and
 * receiving have their own, so a handler may send while a datagram is being delivered. HMAC sealing
 * and opening allocate nothing (HMAC is computed on a MessageDigest into the frame, not with
 * {@code Mac.doFinal}, which makes a new array per tag). AES-GCM allocates ~1 KB per sealed or opened
 * datagram whatever its size: the JDK builds a GCM engine at every {@code Cipher.init}, which
 * javax.crypto offers no way around. That is why {@code crypto_cipher aes256} seals short frames
 * (tokens above all) with AES-CTR + HMAC-SHA-256 instead, which allocates nothing (AesSeal).
 */
package org.ringmaster.totem.security;
