package org.ringmaster.perf.jmh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.Meta;
import org.ringmaster.crm.simple.model.OrderConstraint;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.model.Score;
import org.ringmaster.crm.simple.policy.PolicyEngine;
import org.ringmaster.crm.simple.policy.Transition;
import org.ringmaster.crm.simple.status.ClusterStatus;
import org.ringmaster.crm.simple.status.NodeStatus;
import org.ringmaster.crm.simple.status.ResourceState;

/**
 * Placement for 32 nodes and 500 resources with constraints: 60 three-member groups with
 * preferences, 320 primitives, a seeded mix of location scores, colocations (with and against),
 * mandatory orders, stickiness, one node lost (fenced) and a third of the resources running. Run:
 * {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp perf/target/classes:$(cat perf/target/classpath.txt) org.openjdk.jmh.Main PolicyBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyBenchmark
{
    static final int NODES = 32;

    private Configuration configuration;
    private ClusterStatus status;

    @Setup
    public void setup()
    {
        final SplittableRandom random = new SplittableRandom(32_500);
        final Configuration.Builder b = Configuration.builder();
        for (int n = 0; n < NODES; n++)
        {
            b.node(node(n));
        }
        final List<String> names = new ArrayList<>();
        for (int g = 0; g < 60; g++)
        {
            final List<Primitive> members = new ArrayList<>();
            for (int m = 0; m < 3; m++)
            {
                members.add(Primitive.of("grp" + g + "-" + m, "ocf:heartbeat:Dummy"));
            }
            b.resource(new Group("grp" + g, members, new Meta(Map.of("resource-stickiness", "50"))));
            b.location("grp" + g, node(random.nextInt(NODES)), 200);
            names.add("grp" + g);
        }
        for (int p = 0; p < 320; p++)
        {
            final String id = "rsc" + p;
            b.resource(Primitive.of(id, "ocf:heartbeat:Dummy"));
            b.location(id, node(random.nextInt(NODES)), 10 + random.nextInt(90));
            final String other = names.get(random.nextInt(names.size()));
            switch (random.nextInt(4))
            {
                case 0 -> b.colocation(id, other, Score.INFINITY);
                case 1 -> b.colocation(id, other, -500);
                case 2 -> b.order(other, id, OrderConstraint.Kind.MANDATORY);
                default -> b.location(id, node(random.nextInt(NODES)), -Score.INFINITY);
            }
            names.add(id);
        }
        configuration = b.build();

        final Map<String, NodeStatus> nodes = new LinkedHashMap<>();
        for (int n = 0; n < NODES; n++)
        {
            nodes.put(node(n), n == 5 ? new NodeStatus(node(n), true, false, false, "down", true, Map.of())
                : NodeStatus.online(node(n)));
        }
        final List<ResourceState> running = new ArrayList<>();
        for (int p = 0; p < 320; p += 3)
        {
            running.add(new ResourceState("rsc" + p, node(p % NODES), Role.STARTED, false, false, false, false, null));
        }
        status = new ClusterStatus(true, node(0), nodes, running);
    }

    private static String node(final int n)
    {
        return String.format("node%02d", n);
    }

    @Benchmark
    public Transition decide()
    {
        return PolicyEngine.decide(configuration, status);
    }
}
