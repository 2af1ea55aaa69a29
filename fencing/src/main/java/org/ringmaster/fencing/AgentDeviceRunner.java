package org.ringmaster.fencing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.ringmaster.fencing.agent.AgentAction;
import org.ringmaster.fencing.agent.AgentCall;
import org.ringmaster.fencing.agent.AgentMetadata;
import org.ringmaster.fencing.agent.AgentOutcome;
import org.ringmaster.fencing.agent.FenceAgentException;
import org.ringmaster.fencing.agent.FenceAgentExecutor;
import org.ringmaster.fencing.agent.HostListEntry;

/**
 * Runs device commands through fence agents on worker threads; devices whose agent names a built-in method (e.g.
 * {@link FenceDevice#POISON_PILL}) go to that method's runner instead. For {@link FenceDevice.HostCheck#DYNAMIC_LIST}
 * devices the agent's {@code list} is asked first, and its port for the node (matched by port or alias) is used. A
 * {@code reboot} through an agent whose metadata declares no reboot (fabric agents) is run as {@code off} then
 * {@code on}; it succeeds when the off did (the node is fenced even if it does not come back).
 */
public final class AgentDeviceRunner implements DeviceRunner {

    private final FenceAgentExecutor executor;
    private final ExecutorService workers;
    private final Map<String, DeviceRunner> builtIns;
    private final Map<String, Optional<AgentMetadata>> metadata = new ConcurrentHashMap<>();

    /**
     * @param workers  runs the (blocking) agent calls; owned by the caller
     * @param builtIns agent name → runner for built-in methods
     */
    public AgentDeviceRunner(FenceAgentExecutor executor, ExecutorService workers, Map<String, DeviceRunner> builtIns) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.builtIns = Map.copyOf(builtIns);
    }

    @Override
    public void start(DeviceCommand c, Consumer<DeviceOutcome> done) {
        DeviceRunner builtIn = builtIns.get(c.device().agent());
        if (builtIn != null) {
            builtIn.start(c, done);
            return;
        }
        try {
            workers.execute(() -> done.accept(run(c)));
        } catch (RejectedExecutionException e) {
            done.accept(DeviceOutcome.failure("fencer is shutting down"));
        }
    }

    /**
     * Checks a device ({@code ringctl fence test DEVICE}): runs {@code monitor} (or {@code status} when the agent
     * declares no monitor). Blocking; call it from a worker thread.
     */
    public AgentOutcome test(FenceDevice d) throws InterruptedException {
        AgentAction a = declares(d.agent(), AgentAction.MONITOR) ? AgentAction.MONITOR : AgentAction.STATUS;
        return executor.run(new AgentCall(d.agent(), a, d.params(), d.timeout(), 0));
    }

    private AgentOutcome call(FenceDevice d, AgentAction action, String plug) throws InterruptedException {
        return executor.run(new AgentCall(d.agent(), action, d.paramsFor(plug), d.timeout(), d.retries()));
    }

    // Unknown metadata (agent cannot describe itself) counts as "declares it": the agent's answer then decides.
    private boolean declares(String agent, AgentAction action) throws InterruptedException {
        Optional<AgentMetadata> m = metadata.get(agent);
        if (m == null) {
            try {
                m = Optional.of(executor.metadata(agent));
            } catch (FenceAgentException e) {
                m = Optional.empty();
            }
            metadata.put(agent, m);
        }
        return m.map(md -> md.supports(action)).orElse(true);
    }

    private DeviceOutcome run(DeviceCommand c) {
        FenceDevice d = c.device();
        try {
            String plug = c.plug();
            if (d.hostCheck() == FenceDevice.HostCheck.DYNAMIC_LIST) {
                List<HostListEntry> hosts = executor.list(d.agent(), d.params(), d.timeout(), d.retries());
                HostListEntry entry = hosts.stream().filter(h -> h.matches(c.target())).findFirst().orElse(null);
                if (entry == null) {
                    return DeviceOutcome.failure("device " + d.name() + " cannot fence " + c.target()
                        + " (not in its list of " + hosts.size() + " port(s))");
                }
                plug = entry.port();
            }
            if (c.action() == AgentAction.REBOOT && !declares(d.agent(), AgentAction.REBOOT)) {
                AgentOutcome off = call(d, AgentAction.OFF, plug);
                if (!off.succeeded()) {
                    return DeviceOutcome.failure(off.describe());
                }
                AgentOutcome on = call(d, AgentAction.ON, plug);
                return DeviceOutcome.success("no reboot action: " + off.describe() + "; " + on.describe());
            }
            AgentOutcome o = call(d, c.action(), plug);
            return o.succeeded() ? DeviceOutcome.success(o.describe()) : DeviceOutcome.failure(o.describe());
        } catch (FenceAgentException e) {
            return DeviceOutcome.failure(d.params().redact(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeviceOutcome.failure("interrupted while running " + d.agent());
        } catch (RuntimeException e) {
            return DeviceOutcome.failure(d.agent() + ": " + d.params().redact(String.valueOf(e)));
        }
    }
}
