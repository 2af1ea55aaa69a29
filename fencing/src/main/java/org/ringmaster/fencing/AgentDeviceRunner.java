package org.ringmaster.fencing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.ringmaster.fencing.agent.AgentCall;
import org.ringmaster.fencing.agent.AgentOutcome;
import org.ringmaster.fencing.agent.FenceAgentException;
import org.ringmaster.fencing.agent.FenceAgentExecutor;
import org.ringmaster.fencing.agent.HostListEntry;

/**
 * Runs device commands through fence agents on worker threads; devices whose agent names a built-in method (e.g.
 * {@link FenceDevice#POISON_PILL}) go to that method's runner instead. For {@link FenceDevice.HostCheck#DYNAMIC_LIST}
 * devices the agent's {@code list} is asked first, and its port for the node (matched by port or alias) is used.
 */
public final class AgentDeviceRunner implements DeviceRunner {

    private final FenceAgentExecutor executor;
    private final ExecutorService workers;
    private final Map<String, DeviceRunner> builtIns;

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
            AgentOutcome o = executor.run(new AgentCall(d.agent(), c.action(), d.paramsFor(plug), d.timeout(),
                d.retries()));
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
