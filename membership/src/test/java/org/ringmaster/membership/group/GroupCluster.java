package org.ringmaster.membership.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.totem.Guarantee;

/** Test harness: a {@link FakeEvsCluster} with a {@link GroupService} per node and recorded members. */
final class GroupCluster
{
    final FakeEvsCluster evs;
    final Map<Integer, GroupService> services = new TreeMap<>();
    final List<MemberLog> logs = new ArrayList<>();
    /** Every service ever started, including crashed incarnations. */
    final List<GroupService> allServices = new ArrayList<>();
    private final Map<Integer, Integer> incarnations = new TreeMap<>();
    private int sent;

    GroupCluster(final long seed, final int... nodeIds)
    {
        this(new FakeEvsCluster(seed), nodeIds);
    }

    GroupCluster(final FakeEvsCluster evs, final int... nodeIds)
    {
        this.evs = evs;
        for (final int id : nodeIds)
        {
            services.put(id, GroupService.attach(evs.add(id)));
            allServices.add(services.get(id));
            incarnations.put(id, 0);
        }
        evs.start(nodeIds);
    }

    GroupService service(final int nodeId)
    {
        return services.get(nodeId);
    }

    MemberLog join(final int nodeId, final String group)
    {
        final MemberLog log = new MemberLog(incarnations.get(nodeId));
        log.handle = services.get(nodeId).join(group, log);
        logs.add(log);
        return log;
    }

    /** Multicast a unique text from a member; {@code null} if the channel refused it. */
    String send(final MemberLog from, final Guarantee guarantee)
    {
        final String text = from.handle.member() + "." + from.incarnation + "#" + (++sent);
        final byte[] bytes = MemberLog.bytes(text);
        return from.handle.multicast(new UnsafeBuffer(bytes), 0, bytes.length, guarantee) ? text : null;
    }

    void crash(final int nodeId)
    {
        markDead(nodeId);
        evs.crash(nodeId);
    }

    void shutdown(final int nodeId)
    {
        markDead(nodeId);
        evs.shutdown(nodeId);
    }

    /** Restart a crashed node: new channel, new service, alone in its own ring until a merge. */
    void restart(final int nodeId)
    {
        incarnations.merge(nodeId, 1, Integer::sum);
        services.put(nodeId, GroupService.attach(evs.restart(nodeId)));
        allServices.add(services.get(nodeId));
        evs.startAlone(nodeId);
    }

    void settle()
    {
        evs.settle();
    }

    List<MemberLog> members(final String group)
    {
        return logs.stream().filter(l -> l.group().equals(group)).toList();
    }

    List<MemberLog> live(final String group)
    {
        return members(group).stream().filter(MemberLog::live).toList();
    }

    private void markDead(final int nodeId)
    {
        final int incarnation = incarnations.get(nodeId);
        logs.stream().filter(l -> l.handle.member().nodeId() == nodeId && l.incarnation == incarnation)
            .forEach(l -> l.dead = true);
    }
}
