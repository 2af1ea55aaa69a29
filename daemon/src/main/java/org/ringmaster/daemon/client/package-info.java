/**
 * The client library for applications in other processes on a cluster node (what libcpg is to
 * Corosync): {@link org.ringmaster.daemon.client.RingmasterClient} connects to the local
 * {@code ringmasterd}'s admin socket and offers the node's status, members, quorum and metrics,
 * its configuration changes, and process groups: join a named group, receive its
 * {@link org.ringmaster.membership.group.GroupView views} (members, joins and leaves with their
 * reasons, the agreed leader) and its messages in the cluster's total order, multicast to it, leave.
 *
 * <pre>{@code
 * ClusterListener listener = new ClusterListener() {
 *     public void onView(GroupView view) {
 *         System.out.println("members " + view.members() + ", leader " + view.leader());
 *     }
 *     public void onMessage(String group, GroupMember sender, byte[] payload) {
 *         System.out.println(sender + ": " + new String(payload, StandardCharsets.UTF_8));
 *     }
 * };
 * try (RingmasterClient client = RingmasterClient.connect(Path.of("/run/ringmaster/ringmasterd.sock"), listener)) {
 *     GroupMember me = client.join("orders");
 *     client.send("orders", "hello".getBytes(StandardCharsets.UTF_8));
 *     ...
 * }
 * }</pre>
 *
 * The classes it needs are the daemon jar's, membership's group records and slf4j-api.
 */
package org.ringmaster.daemon.client;
