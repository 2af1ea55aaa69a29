package org.ringmaster.membership.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.group.GroupCounters.Counter;
import org.ringmaster.totem.Guarantee;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deterministic core of the group service: group membership computed from the channel's
 * ordered stream of decoded JOIN/LEAVE/DATA/SYNC messages and configuration changes, as described
 * in the package documentation. Single-threaded (the channel's thread); no clock, no I/O: what it
 * decides goes out through {@link Output}.
 */
final class GroupMembership
{
    private static final Logger LOG = LoggerFactory.getLogger(GroupMembership.class);

    /** Where decisions go. */
    interface Output
    {
        /** Deliver a view to the listed local members (ascending member ids). */
        void view(GroupView view, int[] localMemberIds);

        /** Deliver a message to the listed local members (ascending member ids). */
        void message(String group, int[] localMemberIds, GroupMember sender, Guarantee guarantee, DirectBuffer buffer,
            int offset, int length);

        /** Announce this node's local members for the sync of a regular configuration. */
        void announce(long ringSeq, int ringRep, List<Announcement> localMembers);
    }

    /** One entry of a sync announcement. */
    record Announcement(String group, int memberId)
    {
    }

    private static final int OP_JOIN = GroupMessageFlyweight.TYPE_JOIN;
    private static final int OP_LEAVE = GroupMessageFlyweight.TYPE_LEAVE;
    private static final int OP_DATA = GroupMessageFlyweight.TYPE_DATA;
    private static final long VIEW_TRANSITIONAL = 0x5452;
    private static final long VIEW_REGULAR = 0x5247;
    private static final long VIEW_SYNC = 0x5359;

    private final int self;
    private final Output output;
    private final GroupCounters counters;
    /** Sorted by name so views after a configuration change go out in the same order everywhere. */
    private final TreeMap<String, Group> groups = new TreeMap<>();
    private final UnsafeBuffer replayBuffer = new UnsafeBuffer(new byte[0]);
    private final GroupMember lowestLocal;
    private final GroupMember highestLocal;

    private ConfigurationChange configuration;
    /** In a regular configuration whose sync has completed. */
    private boolean settled;
    private Sync sync;

    GroupMembership(final int self, final Output output, final GroupCounters counters)
    {
        this.self = self;
        this.output = output;
        this.counters = counters;
        this.lowestLocal = new GroupMember(self, Integer.MIN_VALUE);
        this.highestLocal = new GroupMember(self, Integer.MAX_VALUE);
    }

    /** The members of a group as this node sees it now (ascending), empty if unknown. */
    List<GroupMember> members(final String group)
    {
        final Group g = groups.get(group);
        return g == null ? List.of() : List.copyOf(g.members);
    }

    Set<String> groupNames()
    {
        return Set.copyOf(groups.keySet());
    }

    boolean settled()
    {
        return settled;
    }

    boolean syncing()
    {
        return sync != null;
    }

    void onJoin(final int sender, final String group, final int memberId)
    {
        if (sync != null)
        {
            sync.buffered.add(new Op(OP_JOIN, sender, group, memberId, null, null));
            return;
        }
        join(sender, group, memberId);
    }

    void onLeave(final int sender, final String group, final int memberId)
    {
        if (sync != null)
        {
            sync.buffered.add(new Op(OP_LEAVE, sender, group, memberId, null, null));
            return;
        }
        leave(sender, group, memberId);
    }

    void onData(final int sender, final String group, final int memberId, final Guarantee guarantee,
        final DirectBuffer buffer, final int offset, final int length)
    {
        if (sync != null)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            sync.buffered.add(new Op(OP_DATA, sender, group, memberId, guarantee, copy));
            return;
        }
        data(sender, group, memberId, guarantee, buffer, offset, length);
    }

    /**
     * One chunk of a node's sync announcement.
     *
     * @param entries the chunk's (group, member id) pairs.
     */
    void onSync(final int sender, final long ringSeq, final int ringRep, final boolean last,
        final List<Announcement> entries)
    {
        if (sync == null || sync.ringSeq != ringSeq || sync.ringRep != ringRep)
        {
            counters.increment(Counter.SYNC_STALE);
            return;
        }
        if (Arrays.binarySearch(sync.expected, sender) < 0 || sync.done.contains(sender))
        {
            counters.increment(Counter.IGNORED);
            return;
        }
        final List<Announcement> announced = sync.announced.computeIfAbsent(sender, k -> new ArrayList<>());
        announced.addAll(entries);
        if (last)
        {
            sync.done.add(sender);
            if (sync.done.size() == sync.expected.length)
            {
                completeSync();
            }
        }
    }

    void onConfigurationChange(final ConfigurationChange change)
    {
        if (sync != null)
        {
            abortSync();
        }
        configuration = change;
        settled = false;
        removeNodesOutside(change);
        if (change.isRegular())
        {
            startSync(change);
        }
    }

    private void startSync(final ConfigurationChange change)
    {
        counters.increment(Counter.SYNCS_STARTED);
        sync = new Sync(change.ringSeq(), change.rep(), change.members());
        // Our own entries in the table are authoritative: only our own ordered JOIN/LEAVE change them.
        final List<Announcement> local = new ArrayList<>();
        for (final Group g : groups.values())
        {
            for (final GroupMember m : g.members)
            {
                if (m.nodeId() == self)
                {
                    local.add(new Announcement(g.name, m.memberId()));
                }
            }
        }
        output.announce(change.ringSeq(), change.rep(), local);
    }

    private void completeSync()
    {
        final Sync done = sync;
        sync = null;
        counters.increment(Counter.SYNCS_COMPLETED);
        final Map<String, TreeSet<GroupMember>> agreed = new TreeMap<>();
        for (final Map.Entry<Integer, List<Announcement>> e : done.announced.entrySet())
        {
            for (final Announcement a : e.getValue())
            {
                agreed.computeIfAbsent(a.group(), k -> new TreeSet<>()).add(new GroupMember(e.getKey(), a.memberId()));
            }
        }
        final Set<String> names = new TreeSet<>(groups.keySet());
        names.addAll(agreed.keySet());
        settled = true;
        for (final String name : names)
        {
            final TreeSet<GroupMember> next = agreed.getOrDefault(name, new TreeSet<>());
            final Group g = groups.computeIfAbsent(name, Group::new);
            final List<MemberChange> joined = new ArrayList<>();
            final List<MemberChange> left = new ArrayList<>();
            for (final GroupMember m : next)
            {
                if (!g.members.contains(m))
                {
                    joined.add(new MemberChange(m, MemberChange.Reason.MERGE));
                }
            }
            for (final GroupMember m : g.members)
            {
                if (!next.contains(m))
                {
                    left.add(new MemberChange(m, MemberChange.Reason.MERGE));
                }
            }
            g.members.clear();
            g.members.addAll(next);
            // Every node of the configuration now holds the same members, whatever its history: one id for all.
            long id = mix(mix(VIEW_SYNC, done.ringSeq), done.ringRep);
            id = mix(id, name.hashCode());
            for (final GroupMember m : next)
            {
                id = mix(id, key(m));
            }
            g.viewId = id;
            // Every local member gets one regular view per configuration, so leaders learn they lead.
            emit(g, joined, left, configuration.reason());
            if (g.members.isEmpty())
            {
                groups.remove(name);
            }
        }
        LOG.debug("node {}: group sync for ring {}/{} complete: {} groups, {} held-back messages applied", self,
            done.ringSeq, done.ringRep, groups.size(), done.buffered.size());
        for (final Op op : done.buffered)
        {
            replay(op);
        }
    }

    /** Another configuration change arrived before every announcement: keep what was delivered. */
    private void abortSync()
    {
        final Sync cut = sync;
        sync = null;
        counters.increment(Counter.SYNCS_ABORTED);
        LOG.debug("node {}: group sync for ring {}/{} cut short with {} of {} announcements", self, cut.ringSeq,
            cut.ringRep, cut.done.size(), cut.expected.length);
        // The configuration's messages were delivered to every node that reaches this point; apply them
        // in order to this node's (unsynced) table. Views stay non-regular; the next sync reconciles.
        for (final Op op : cut.buffered)
        {
            replay(op);
        }
    }

    private void replay(final Op op)
    {
        switch (op.type)
        {
            case OP_JOIN -> join(op.sender, op.group, op.memberId);
            case OP_LEAVE -> leave(op.sender, op.group, op.memberId);
            default ->
            {
                replayBuffer.wrap(op.payload);
                data(op.sender, op.group, op.memberId, op.guarantee, replayBuffer, 0, op.payload.length);
            }
        }
    }

    private void removeNodesOutside(final ConfigurationChange change)
    {
        final long kind = change.isRegular() ? VIEW_REGULAR : VIEW_TRANSITIONAL;
        final List<String> emptied = new ArrayList<>();
        for (final Group g : groups.values())
        {
            List<MemberChange> left = null;
            for (final GroupMember m : g.members)
            {
                if (!change.contains(m.nodeId()))
                {
                    if (left == null)
                    {
                        left = new ArrayList<>();
                    }
                    left.add(new MemberChange(m, MemberChange.Reason.NODE_DOWN));
                }
            }
            if (left == null)
            {
                continue;
            }
            long id = mix(mix(mix(g.viewId, kind), change.ringSeq()), change.rep());
            for (final MemberChange c : left)
            {
                g.members.remove(c.member());
                id = mix(id, key(c.member()));
            }
            g.viewId = id;
            LOG.info("node {}: group \"{}\" lost {} on {} {}/{} ({})", self, g.name, left, change.kind(),
                change.ringSeq(), change.rep(), change.reason());
            emit(g, List.of(), left, change.reason());
            if (g.members.isEmpty())
            {
                emptied.add(g.name);
            }
        }
        emptied.forEach(groups::remove);
    }

    private void join(final int sender, final String group, final int memberId)
    {
        // A JOIN recovered from a node that has already left (EVS delivers such messages in the
        // transitional configuration) must not resurrect it.
        if (configuration != null && !configuration.contains(sender))
        {
            counters.increment(Counter.IGNORED);
            return;
        }
        final GroupMember member = new GroupMember(sender, memberId);
        final Group g = groups.computeIfAbsent(group, Group::new);
        if (!g.members.add(member))
        {
            counters.increment(Counter.IGNORED);
            return;
        }
        g.viewId = mix(mix(inRing(g.viewId), OP_JOIN), key(member));
        emit(g, List.of(new MemberChange(member, MemberChange.Reason.JOIN)), List.of(), null);
    }

    private void leave(final int sender, final String group, final int memberId)
    {
        final Group g = groups.get(group);
        final GroupMember member = new GroupMember(sender, memberId);
        if (g == null || !g.members.remove(member))
        {
            counters.increment(Counter.IGNORED);
            return;
        }
        g.viewId = mix(mix(inRing(g.viewId), OP_LEAVE), key(member));
        emit(g, List.of(), List.of(new MemberChange(member, MemberChange.Reason.LEAVE)), null);
        if (g.members.isEmpty())
        {
            groups.remove(group);
        }
    }

    private void data(final int sender, final String group, final int memberId, final Guarantee guarantee,
        final DirectBuffer buffer, final int offset, final int length)
    {
        final Group g = groups.get(group);
        final int[] local = g == null ? new int[0] : localMembers(g, List.of());
        if (local.length == 0)
        {
            return;
        }
        counters.increment(Counter.MESSAGES_DELIVERED);
        output.message(group, local, new GroupMember(sender, memberId), guarantee, buffer, offset, length);
    }

    private void emit(final Group g, final List<MemberChange> joined, final List<MemberChange> left,
        final ConfigurationChange.Reason cause)
    {
        final int[] local = localMembers(g, left);
        if (local.length == 0)
        {
            return;
        }
        final long ringSeq = configuration == null ? 0 : configuration.ringSeq();
        final int ringRep = configuration == null ? 0 : configuration.rep();
        counters.increment(Counter.VIEWS_DELIVERED);
        output.view(new GroupView(g.name, g.viewId, ringSeq, ringRep, settled, new ArrayList<>(g.members), joined, left,
            cause), local);
    }

    /** Local members of the group plus local members that just left it (they see their own leave). */
    private int[] localMembers(final Group g, final List<MemberChange> left)
    {
        final NavigableSet<GroupMember> mine = g.members.subSet(lowestLocal, true, highestLocal, true);
        int count = mine.size();
        for (final MemberChange c : left)
        {
            count += c.member().nodeId() == self ? 1 : 0;
        }
        final int[] ids = new int[count];
        int i = 0;
        for (final GroupMember m : mine)
        {
            ids[i++] = m.memberId();
        }
        for (final MemberChange c : left)
        {
            if (c.member().nodeId() == self)
            {
                ids[i++] = c.member().memberId();
            }
        }
        if (count != mine.size())
        {
            Arrays.sort(ids);
        }
        return ids;
    }

    /** Chain the current configuration's ring id in, so the same change in another ring gets another id. */
    private long inRing(final long viewId)
    {
        return configuration == null ? viewId : mix(mix(viewId, configuration.ringSeq()), configuration.rep());
    }

    private static long key(final GroupMember m)
    {
        return ((long)m.nodeId() << 32) | (m.memberId() & 0xFFFF_FFFFL);
    }

    /** SplitMix64-style mixing: view ids are a hash chain over the group's history. */
    static long mix(final long h, final long v)
    {
        long x = h * 0x9E37_79B9_7F4A_7C15L + v;
        x = (x ^ (x >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return x ^ (x >>> 31);
    }

    private static final class Group
    {
        final String name;
        final TreeSet<GroupMember> members = new TreeSet<>();
        long viewId;

        Group(final String name)
        {
            this.name = name;
            this.viewId = mix(0, name.hashCode());
        }
    }

    private record Op(int type, int sender, String group, int memberId, Guarantee guarantee, byte[] payload)
    {
    }

    private static final class Sync
    {
        final long ringSeq;
        final int ringRep;
        final int[] expected;
        final Set<Integer> done = new HashSet<>();
        /** Sorted by node id so the agreed table is built in the same order everywhere. */
        final Map<Integer, List<Announcement>> announced = new TreeMap<>();
        final List<Op> buffered = new ArrayList<>();

        Sync(final long ringSeq, final int ringRep, final int[] expected)
        {
            this.ringSeq = ringSeq;
            this.ringRep = ringRep;
            this.expected = expected;
            Arrays.sort(this.expected);
        }
    }
}
