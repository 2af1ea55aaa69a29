package org.ringmaster.fencing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ringmaster.crm.api.fencing.FenceRequest;
import org.ringmaster.crm.api.fencing.FenceResult;

/** N fence coordinators on one in-memory ordered channel and one virtual clock, run in the test's thread. */
final class FencerCluster {

    final InMemoryOrderedChannel channel = new InMemoryOrderedChannel();
    final Map<String, FenceCoordinator> nodes = new LinkedHashMap<>();
    final Map<String, ScriptedDeviceRunner> runners = new LinkedHashMap<>();
    final Map<String, AtomicBoolean> quorate = new LinkedHashMap<>();
    final Map<String, List<FenceResult>> heard = new LinkedHashMap<>();
    final Map<String, List<FenceHistoryEntry>> alerted = new LinkedHashMap<>();
    final java.util.Set<String> crashed = new java.util.HashSet<>();
    long nowNs = 1_000_000_000L;

    FencerCluster(FencingConfig config, List<String> names, long seed) {
        this(config, names, seed, null);
    }

    /** @param runnerFor device runner per node; null = a {@link ScriptedDeviceRunner} per node */
    FencerCluster(FencingConfig config, List<String> names, long seed,
                  java.util.function.Function<String, DeviceRunner> runnerFor) {
        SplittableRandom random = new SplittableRandom(seed);
        for (String n : names) {
            ScriptedDeviceRunner scripted = new ScriptedDeviceRunner();
            DeviceRunner runner = runnerFor == null ? scripted : runnerFor.apply(n);
            AtomicBoolean q = new AtomicBoolean(true);
            InMemoryOrderedChannel.Endpoint ep = channel.endpoint(n);
            List<FenceHistoryEntry> alerts = new ArrayList<>();
            FenceCoordinator c = new FenceCoordinator(n, names, config, ep, runner, q::get, alerts::add,
                () -> 1_700_000_000_000L + nowNs / 1_000_000, random.split()::nextLong);
            ep.subscribe((sender, payload) -> c.onDelivered(sender, payload, nowNs));
            List<FenceResult> results = new ArrayList<>();
            c.addListener(results::add);
            nodes.put(n, c);
            runners.put(n, scripted);
            quorate.put(n, q);
            heard.put(n, results);
            alerted.put(n, alerts);
        }
    }

    FenceCoordinator node(String n) {
        return nodes.get(n);
    }

    /** Runs every node's duty cycle and delivers messages until nothing moves. */
    void settle() {
        for (int round = 0; round < 1000; round++) {
            int work = 0;
            for (Map.Entry<String, FenceCoordinator> e : nodes.entrySet()) {
                if (!crashed.contains(e.getKey())) {
                    work += e.getValue().doWork(nowNs);
                }
            }
            while (channel.deliverNext()) {
                work++;
            }
            if (work == 0) {
                return;
            }
        }
        throw new AssertionError("fencer cluster did not settle");
    }

    void advanceMs(long ms) {
        nowNs += ms * 1_000_000L;
        settle();
    }

    List<FenceResult> submit(String origin, FenceRequest r) {
        List<FenceResult> out = new ArrayList<>();
        nodes.get(origin).submit(r, out::add, nowNs);
        return out;
    }

    /** Scripts the same behaviour for a device on every node (any of them may end up executing). */
    void script(String device, ScriptedDeviceRunner.Behaviour b) {
        runners.values().forEach(r -> r.script(device, b));
    }

    /** The node stops dead: no more duty cycles, deliveries or multicasts. */
    void crash(String node) {
        crashed.add(node);
        channel.endpoint(node).connected = false;
    }

    void membership(List<String> members) {
        for (String n : members) {
            nodes.get(n).onMembership(members, nowNs);
        }
        nodes.keySet().forEach(n -> channel.endpoint(n).connected = members.contains(n));
    }
}
