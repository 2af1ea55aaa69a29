/**
 * The running simple CRM ({@code crm { plugin: simple }}): the policy engine of {@code ..policy} carried out on
 * a live cluster through the ordered EVS channel, the local resource manager and the fencer.
 *
 * <h2>Replicated state machine</h2>
 * Every node holds a {@link org.ringmaster.crm.simple.run.ReplicatedState}: the configuration document
 * ({@link org.ringmaster.crm.simple.run.ConfigDocument}: source text plus the administrative overlay, with an
 * epoch), one {@link org.ringmaster.crm.simple.run.NodeRecord} per node (resource states, fail-counts, probes,
 * operations in flight) and the running transition. It changes only by messages delivered in the channel's
 * total order and by configuration changes, so all members of a configuration hold the same state.
 *
 * <h2>Designated coordinator</h2>
 * The DC is the lowest node id of the current regular configuration, once that configuration's sync is done:
 * every member computes the same one, and there is exactly one per configuration. Only the DC runs the policy
 * engine. A DC of a partition without quorum still runs it, so that no-quorum-policy (stop, freeze, ignore) is
 * applied there; the engine fences nothing without quorum.
 *
 * <h2>Sync after every configuration change (reconciliation rules)</h2>
 * On each regular configuration every member multicasts a Sync: its configuration document, every record it
 * holds (its own first-hand) and its next transition id. When the Syncs of all members are delivered, every
 * member merges them the same way:
 * <ol>
 *   <li>Configuration: the document with the highest epoch wins; equal epochs: the higher author node id
 *       (the node whose change made that epoch); then the larger text, only to stay deterministic. So a newer
 *       configuration made in a partition wins after the heal, and of two partitions that made the same number
 *       of changes, the one whose last change came from the higher node id wins; the other's changes of that
 *       epoch are dropped (and logged by epoch in the snapshot).</li>
 *   <li>Records of members: each member's own record (a node is the authority on what runs on it).</li>
 *   <li>Records of non-members: the copy with the highest stamp; equal stamps: the copy of the lowest member
 *       id.</li>
 *   <li>Transitions: the running transition is dropped (it was aborted by the configuration change);
 *       the next transition id is the highest offered.</li>
 * </ol>
 * A node that rejoins with an older epoch thus takes the newer configuration; a node restarting after a full
 * cluster stop loads its persisted state ({@code crm-state.bin} in the state directory: configuration at once,
 * records at most every second) and, if all nodes restarted, the highest persisted epoch wins.
 *
 * <h2>Transitions</h2>
 * Before planning the DC waits until every member has probed every configured instance (a node probes after it
 * starts and whenever resources are added or cleaned up) and no member has an operation in flight. It then runs
 * the engine on the replicated state and multicasts the Plan. An action runs on its node (fencing on the DC)
 * once every action it waits for is done: the executor multicasts an Exec claim, and runs the action only if
 * the claim, where it is delivered, is still valid (transition not aborted, dependencies done), so every member
 * agrees on which actions ran. Results come back as the node's new record. A failed action, a monitor failure,
 * an action the DC timed out ({@code action-timeout} + {@code timeout-margin}) or any configuration change
 * aborts the transition: nothing new starts, running actions finish, and the DC replans from the recorded
 * results, so completed actions are not repeated and missing ones not lost. A new DC after the loss of the old
 * one does the same from the same replicated state.
 *
 * <h2>Recovery</h2>
 * Recurring monitors follow the resource's state on its node. A monitor failure marks the instance failed and
 * raises its fail-count; the engine restarts it in place until the fail-count reaches migration-threshold, then
 * moves it. A failed start sets the fail-count to INFINITY when start-failure-is-fatal, a failed stop too (and
 * the engine fences the node). With fencing enabled, a node lost while expected up is unclean: its resources
 * start elsewhere only in actions ordered after the fence action, which completes only when the fencer
 * reports success; a failed fence aborts and is retried after {@code retry-delay}.
 *
 * <h2>Time</h2>
 * A fail-count is recorded with the time of the failure it counts last (the failing node's wall clock, epoch
 * milliseconds; replicated, persisted and reconciled with the rest of the node's record). The DC gives the engine
 * its wall clock as "now" and the failure times as {@code last-failure-*} attributes (whole seconds, as Pacemaker),
 * so failure-timeout and date rules apply. When the engine reports a fail-count expired, the DC multicasts an
 * ExpireFailure naming the failure time it saw; every member clears that fail-count when it is delivered, unless
 * the record meanwhile counts a newer failure (so {@code ringctl resource failcount} shows 0 everywhere), and
 * the DC decides again. The DC also decides again without any event at the next time boundary the engine reports
 * (the soonest failure expiry; the next change of an evaluated date expression: a bound of gt/lt/in_range, the next
 * second/minute/hour/day/month/year of a date_spec's finest field) and at the latest after the cluster option
 * {@code cluster-recheck-interval} (default 15 minutes, 0 = only at boundaries). The wait is measured on the wall
 * clock and scheduled on the host's monotonic duty-cycle time, so a simulation's virtual clock drives both.
 *
 * <h2>Planning adjustments</h2>
 * Around the engine the DC applies Pacemaker's multiple-active=stop_start (an instance found active where the
 * engine starts it, e.g. on both sides of a healed partition, is stopped there first), and drops actions on nodes
 * in maintenance and actions no member could claim, with everything that waits for them. Quorum and node
 * attributes come from the host's {@code ClusterView}; a change of them makes the DC plan again.
 *
 * <h2>Alerts</h2>
 * With {@code alert} set, every node runs that program on node events (member, lost: at the end of each sync),
 * on resource operations it ran and on fencing results it relayed, with Pacemaker's {@code CRM_alert_*}
 * environment; one at a time, killed after {@code alert-timeout}, never blocking the duty cycle.
 *
 * <h2>Limits</h2>
 * Every member of the ring must run this CRM on the CRM's channel: a sync completes only when every member's
 * Sync is delivered. A Sync carries the configuration text and all records, and must fit the channel's message
 * size (Totem's default 1 MiB). Failure times come from the failing node's clock and are compared with the DC's,
 * so clock skew between nodes shifts the expiry by that much; a fail-count loaded from state persisted before
 * failure times were recorded (wire version 1) has no time and never expires (cleanup resets it). Nodes of
 * this version read version-1 messages and state but write version 2, which older nodes reject: upgrade all nodes
 * together. After a successful migrate_to the source
 * records the resource as stopped (the target's migrate_from makes it started there), so a transition
 * aborted in between starts it afresh. Without quorum the DC plans nothing for {@code no-quorum-delay} after a sync
 * (the host's quorum may settle a moment after the membership). no-quorum-policy {@code fence}/{@code suicide}: the
 * DC plans nothing without quorum; a node that runs anything in a configuration found without quorum when its sync
 * completed, still without quorum {@code no-quorum-delay} later, stops everything it runs at once and asks the host
 * to fence it ({@code CrmContext.selfFence}: the daemon leaves the ring without a word and exits with code 4); a host
 * that cannot leaves it stopped, as {@code stop}. Quorum lost without a configuration change (a quorum device) does
 * not trigger it. Operation timeouts are the CRM-wide {@code action-timeout} (the model has
 * no per-operation timeout).
 *
 * <h2>Administration</h2>
 * {@link org.ringmaster.crm.simple.run.CrmCommands} implements the ringctl verbs on top of
 * {@link org.ringmaster.crm.simple.run.SimpleCrm#submit} and {@link org.ringmaster.crm.simple.run.CrmSnapshot}.
 * move/ban/clear/start/stop/standby/online/maintenance change the configuration overlay (a new epoch); cleanup
 * changes node records.
 */
package org.ringmaster.crm.simple.run;
