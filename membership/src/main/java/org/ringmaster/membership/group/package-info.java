/**
 * Process groups over an EVS channel: what libcpg is to Corosync.
 *
 * <p>{@link org.ringmaster.membership.group.GroupService} multiplexes any number of named groups
 * over one {@link org.ringmaster.membership.EvsChannel}. A member joins a group with a
 * {@link org.ringmaster.membership.group.GroupListener}, multicasts to it through its
 * {@link org.ringmaster.membership.group.GroupHandle} and leaves; the listener receives the group's
 * messages and {@link org.ringmaster.membership.group.GroupView views} in the channel's total order.
 *
 * <h2>How membership is computed</h2>
 * Every node keeps the same table, group name &rarr; sorted set of (node id, member id), and changes
 * it only on what the channel delivers, in delivery order:
 * <ul>
 *   <li>JOIN (from the member's node) adds the member; LEAVE removes it. A JOIN from a node that is no
 *       longer in the configuration (EVS may deliver an old-ring message in the transitional
 *       configuration) is ignored. A node's own join takes effect only when its JOIN comes back
 *       through the order, so the node's view of its own members is never ahead of the others'.</li>
 *   <li>A configuration change (transitional or regular) removes every member whose node is not in
 *       it: reason {@code NODE_DOWN}, with the channel's reason as the view's cause. The transitional
 *       configuration plays the part of cpg's "downlist": every member of it removes the same
 *       nodes at the same point of the same stream. A crash and a partition look the same at this
 *       point ({@code TOKEN_LOSS}); a healed partition shows up later as members returning with
 *       reason {@code MERGE}.</li>
 *   <li>DATA is delivered to the local members of the group at the point it is ordered; a member's
 *       own messages come back to it too.</li>
 * </ul>
 *
 * <h2>The sync after every regular configuration (cpg's "joinlist")</h2>
 * Nodes arriving from different partitions hold different tables. After every REGULAR
 * configuration change each node:
 * <ol>
 *   <li>snapshots its own members (its own rows of the table, which only its own ordered JOIN and
 *       LEAVE messages change, so they are authoritative) and multicasts them as SYNC messages
 *       tagged with the configuration's ring id, the last one flagged LAST;</li>
 *   <li>holds back every JOIN, LEAVE and DATA delivered until the sync completes;</li>
 *   <li>when a LAST announcement has arrived from every member of the configuration, replaces the
 *       table with the union of the announcements, gives every group view of the configuration the
 *       same id, delivers one <em>regular</em> view to every local member of every group
 *       (joined/left members with reason {@code MERGE} where the table changed), and then applies
 *       the held-back messages in their order.</li>
 * </ol>
 * SYNC messages tagged with another ring id (a configuration that already ended) are ignored. If the
 * configuration changes before the sync completes, the sync is abandoned: the held-back messages
 * are applied in order to the node's own table (its views stay non-regular) and the next regular
 * configuration starts a new sync.
 *
 * <h2>What the channel must provide</h2>
 * A node's own messages are delivered back to it in their place in the order; every configuration
 * includes the node itself; every member that delivers a configuration delivers the same messages
 * in it, in the same order (EVS); a message offered during a configuration change goes to the next
 * regular configuration. The sync needs nothing else: no timers, no acknowledgements.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>After a sync completes in configuration C, every node of C has the same table, and it holds
 *       exactly the members announced by the nodes of C (no member of a node outside C).</li>
 *   <li>Two nodes with the same table that deliver the same sequence (which EVS guarantees within a
 *       configuration) keep the same table and deliver the same views and messages in the same
 *       order to their members.</li>
 *   <li>View ids are a hash chain over each group's history since the last completed sync, so members
 *       that deliver the same view id see the same members, and members that see the same two
 *       consecutive views delivered the same messages between them (virtual synchrony).</li>
 *   <li>A node's own members never change except by its own ordered JOIN/LEAVE, so a member is never
 *       removed on its own node without its LEAVE.</li>
 *   <li>{@link org.ringmaster.membership.group.GroupView#leader()} is defined only for regular views,
 *       so every member of a configuration that has one names the same leader. Each side of a
 *       partition elects its own: whether a side is the primary component is quorum's decision,
 *       a layer above this one.</li>
 * </ul>
 *
 * <p>Wire format: {@link org.ringmaster.membership.group.GroupMessageFlyweight} and
 * {@link org.ringmaster.membership.group.SyncMessageFlyweight} (versioned, little-endian, validated;
 * malformed messages are counted in {@link org.ringmaster.membership.group.GroupCounters} and dropped).
 */
package org.ringmaster.membership.group;
