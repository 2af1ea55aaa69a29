package org.ringmaster.daemon.node;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.ringmaster.agents.AgentCatalog;
import org.ringmaster.agents.AgentsConfig;
import org.ringmaster.agents.exec.ExecutorConfig;
import org.ringmaster.agents.exec.ResourceExecutor;
import org.ringmaster.agents.exec.ThreadScheduler;
import org.ringmaster.crm.api.ClusterResourceManager;
import org.ringmaster.crm.api.ClusterView;
import org.ringmaster.crm.api.CrmContext;
import org.ringmaster.crm.api.CrmPlugins;
import org.ringmaster.crm.api.fencing.Fencer;
import org.ringmaster.crm.api.resource.LocalResourceManager;
import org.ringmaster.daemon.config.CrmConfig;
import org.ringmaster.membership.EvsChannel;
import org.ringmaster.membership.TotemNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster resource manager of one node, as the {@code crm} section chooses it, with the services it is
 * given: its own ring sub-channel, the agents module's resource executor, the node's fencer (a
 * {@link RefusingFencer} when there is no {@code fencing} section), the
 * daemon's meters. Its state lives in {@code <state-dir>/crm/<node id>} and built-in agents' state (pid files,
 * dummy state) in {@code <state-dir>/agents/<node id>}: per node id, because nodes sharing a host may share a
 * state directory (as the ring seq files do).
 *
 * <p>Threads: {@link #start}, {@link #doWork} and {@link #close} on the node's agent thread.
 */
final class CrmHost implements CrmContext, ClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(CrmHost.class);

    private final NodeSettings settings;
    private final TotemNode node;
    private final ClusterNode owner;
    private final EvsChannel channel;
    private final MeterRegistry meters;
    private final ClusterResourceManager crm;
    private final Map<String, String> options;
    private final ThreadScheduler scheduler;
    private final ResourceExecutor resources;
    private final Fencer fencer;
    private final Path stateDirectory;
    private long now;

    /**
     * Creates the CRM; {@link #start} starts it.
     *
     * @param fencer the node's fencer, or {@code null} for a {@link RefusingFencer} (no {@code fencing} section)
     * @throws IllegalArgumentException naming {@code crm.plugin} and the available plugins if there is none by
     *                                  that name
     */
    CrmHost(CrmConfig config, NodeSettings settings, ClusterNode owner, TotemNode node, EvsChannel channel,
            MeterRegistry meters, Fencer fencer) {
        this.settings = settings;
        this.owner = owner;
        this.node = node;
        this.channel = channel;
        this.meters = meters;
        this.crm = CrmPlugins.find(config.plugin(), CrmHost.class.getClassLoader()).create();
        this.options = Map.copyOf(new HashMap<>(config.options()));
        String id = String.valueOf(settings.nodeId());
        this.stateDirectory = settings.stateDir().toAbsolutePath().resolve("crm").resolve(id);
        this.scheduler = new ThreadScheduler();
        CrmConfig.Agents agents = config.agents();
        this.resources = new ResourceExecutor(ExecutorConfig.defaults().withMaxConcurrent(agents.maxConcurrentActions()),
                new AgentCatalog(AgentsConfig.defaults().withOcfRoot(agents.ocfRoot())
                        .withLsbDirectory(agents.lsbDirectory())
                        .withHeartbeatDirectories(agents.heartbeatDirectories())
                        .withStateDirectory(settings.stateDir().toAbsolutePath().resolve("agents").resolve(id))),
                scheduler, Clock.systemUTC(), meters);
        this.fencer = fencer != null ? fencer : new RefusingFencer(settings.nameOf(settings.nodeId()));
    }

    /** The running CRM (for the admin socket's {@code crm} verb). */
    ClusterResourceManager crm() {
        return crm;
    }

    /**
     * Starts the CRM; before the ring starts, so it hears the first configuration.
     *
     * @throws IllegalArgumentException if the CRM refuses its settings (bad key or value, unreadable seed
     *                                  configuration); everything is closed again
     */
    void start(long nowNs) {
        now = nowNs;
        try {
            crm.start(this);
        } catch (RuntimeException e) {
            resources.close();
            scheduler.close();
            throw e;
        }
        LOG.info("crm: plugin {} started, state in {}", crm.getClass().getSimpleName(), stateDirectory);
    }

    int doWork(long nowNs) {
        now = nowNs;
        return crm.doWork(nowNs);
    }

    /** Stops the CRM and the executor; resources are left running as they are. */
    void close() {
        try {
            crm.close();
        } finally {
            resources.close();
            scheduler.close();
        }
    }

    @Override
    public ClusterView view() {
        return this;
    }

    @Override
    public EvsChannel channel() {
        return channel;
    }

    @Override
    public LocalResourceManager resources() {
        return resources;
    }

    @Override
    public Fencer fencer() {
        return fencer;
    }

    @Override
    public MeterRegistry meters() {
        return meters;
    }

    @Override
    public Path stateDirectory() {
        return stateDirectory;
    }

    @Override
    public Map<String, String> settings() {
        return options;
    }

    @Override
    public boolean selfFence(String reason) {
        return owner.selfFence(reason);
    }

    @Override
    public int localNodeId() {
        return settings.nodeId();
    }

    @Override
    public int[] members() {
        return node.members();
    }

    @Override
    public boolean isQuorate() {
        return owner.isQuorate(now);
    }

    @Override
    public String nodeName(int nodeId) {
        return settings.nameOf(nodeId);
    }

    @Override
    public Map<String, String> attributes(int nodeId) {
        return owner.attributes(nodeId);
    }
}
