/**
 * Redundant links (corosync's knet links, {@code ring0_addr} .. {@code ring7_addr}):
 * {@link org.ringmaster.membership.link.RedundantTransport} makes up to eight link transports look
 * like one {@link org.ringmaster.totem.transport.Transport} to the ring, in {@code passive} or
 * {@code active} {@link org.ringmaster.membership.link.LinkMode}, with per-(peer, link) heartbeats.
 *
 * <h2>Link header</h2>
 * <pre>
 *  0  u8   version (1)
 *  1  u8   type: 1 data, 2 ping, 3 pong
 *  2  u8   link number the frame was sent on (must match the link it arrives on)
 *  3  u8   flags, 0
 *  4  u32  sender node id
 *  8  u64  sender session: start time in unix ms (high 44 bits) | 20 random bits
 * 16  u64  data: sequence 1, 2, 3 ... per sender and session, the same on every link;
 *          ping: the pinger's clock when sent; pong: that value echoed back
 * 24  ...  data payload (ping and pong have none)
 * </pre>
 * Big-endian, 24 bytes, taken out of {@code maxDatagramLength()}.
 *
 * <h2>Copies</h2>
 * A sender numbers each datagram once and sends those same bytes (but the link number) on every
 * link it uses, so the receiver keeps, per sender, a 1024-entry sliding window of sequence numbers
 * it handed up and drops any it has seen or that fell behind the window. Passive mode makes copies
 * too (while the preferred link is suspect), so the window runs in both modes.
 *
 * <h2>Health</h2>
 * Each node pings each peer on each link every {@code knet_ping_interval}; the peer answers on the
 * same link. An up link with no answer for {@code knet_ping_timeout} goes down; a down link comes
 * up after {@code knet_pong_count} answers with no ping left unanswered between them. Only answers
 * count: a link cut in one direction still brings the peer's own traffic in, but is useless for
 * ours. A link whose latest ping went a whole interval unanswered is suspect: passive mode then
 * also sends on the next link up, which bounds the loss from a link cut to about one interval
 * rather than the timeout. Links start down and every link is used until one answers. If this
 * node itself was not polled for longer than a ping interval (a GC pause, a starved CPU), the
 * pause is not counted against any link: the answers are sitting unread in its sockets.
 *
 * <h2>Stacking</h2>
 * {@code RedundantTransport} over per-link {@code SecureTransport}s authenticates the link header
 * and heartbeats too (a forged sequence number could otherwise push a sender's window ahead and
 * make its real datagrams look old). {@code SecureTransport} over one {@code RedundantTransport}
 * seals each datagram once, but leaves the link header open; use it only on trusted networks.
 */
package org.ringmaster.membership.link;
