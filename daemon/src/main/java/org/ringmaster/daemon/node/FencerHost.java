package org.ringmaster.daemon.node;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.daemon.config.ConfigEntry;
import org.ringmaster.daemon.config.ConfigSection;
import org.ringmaster.fencing.AgentDeviceRunner;
import org.ringmaster.fencing.AlertProgram;
import org.ringmaster.fencing.FenceAlertSink;
import org.ringmaster.fencing.FencingConfig;
import org.ringmaster.fencing.FencingConfigReader;
import org.ringmaster.fencing.FencingService;
import org.ringmaster.fencing.OrderedChannel;
import org.ringmaster.fencing.agent.FenceAgentExecutor;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.EvsChannel;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.totem.Guarantee;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fencer of one node, as the {@code fencing} section configures it: a {@link FencingService} over its own
 * ring sub-channel, running fence agents on worker threads. The sub-channel's messages and regular
 * configurations are handed to the service in ring order (both go through its single event thread).
 *
 * <p>Threads: {@link #onMessage}/{@link #onConfigurationChange} on the node's agent thread; the service on its
 * own thread; {@link #multicast} from the service's thread (the ring's send queue is many-to-one safe).
 */
final class FencerHost implements OrderedChannel, EvsListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FencerHost.class);

    private final NodeSettings settings;
    private final EvsChannel channel;
    private final ExecutorService workers;
    private final FencingService service;
    private volatile Receiver receiver;

    /**
     * Reads the section and starts the service; call before the ring starts.
     *
     * @param quorate read on the fencer's thread; must be thread-safe
     * @throws IllegalArgumentException naming each bad key of the {@code fencing} section with its place
     */
    FencerHost(ConfigSection section, NodeSettings settings, EvsChannel channel, BooleanSupplier quorate,
               MeterRegistry meters) {
        FencingConfig config;
        try {
            config = FencingConfigReader.read(new Section(section));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fencing: " + e.getMessage(), e);
        }
        this.settings = settings;
        this.channel = channel;
        String local = settings.nameOf(settings.nodeId());
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ringmaster-fence-agent-" + local + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        channel.listener(this);
        // Until the first configuration only this node is known to be a member.
        FenceAlertSink logged = e -> LOG.info("fencing: {}", e.result());
        FenceAlertSink alerts = config.alertProgram().<FenceAlertSink>map(path -> {
            String recipient = section.sections("alert").stream().flatMap(a -> a.value("recipient").stream())
                    .findFirst().orElse("");
            AlertProgram program = new AlertProgram(path, config.alertTimeout(), recipient, workers);
            return e -> {
                logged.onFenceEvent(e);
                program.onFenceEvent(e);
            };
        }).orElse(logged);
        this.service = new FencingService(local, List.of(local), config, this,
                new AgentDeviceRunner(FenceAgentExecutor.withDefaults(), workers, Map.of()), quorate, alerts, meters);
        LOG.info("fencing: {} device(s) configured", config.devices().size());
    }

    /** The running fencer (the CRM's {@link org.ringmaster.crm.api.fencing.Fencer}). */
    FencingService service() {
        return service;
    }

    @Override
    public boolean multicast(byte[] payload) {
        if (payload.length > channel.maxMessageSize()) {
            LOG.error("fencing: message of {} bytes exceeds the ring's {}; dropped", payload.length,
                    channel.maxMessageSize());
            return true;
        }
        return channel.offer(new UnsafeBuffer(payload), 0, payload.length, Guarantee.AGREED);
    }

    @Override
    public void subscribe(Receiver r) {
        this.receiver = r;
    }

    @Override
    public void onMessage(int sender, Guarantee guarantee, DirectBuffer buffer, int offset, int length) {
        Receiver r = receiver;
        if (r != null) {
            byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            r.onDeliver(settings.nameOf(sender), copy);
        }
    }

    @Override
    public void onConfigurationChange(ConfigurationChange change) {
        if (change.isRegular() && service != null) {
            List<String> names = new ArrayList<>();
            for (int id : change.members()) {
                names.add(settings.nameOf(id));
            }
            service.onMembership(names);
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } finally {
            workers.shutdownNow();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The daemon's parsed section as the fencing module reads it; places are {@code file:line:column}. */
    private record Section(ConfigSection s) implements FencingConfigReader.Section {
        @Override
        public String name() {
            return s.name();
        }

        @Override
        public String where() {
            return s.position().toString();
        }

        @Override
        public List<FencingConfigReader.Entry> entries() {
            List<FencingConfigReader.Entry> out = new ArrayList<>();
            for (ConfigEntry e : s.entries()) {
                out.add(new FencingConfigReader.Entry(e.key(), e.value(), e.keyPosition().toString()));
            }
            return out;
        }

        @Override
        public List<FencingConfigReader.Section> sections() {
            List<FencingConfigReader.Section> out = new ArrayList<>();
            for (ConfigSection c : s.sections()) {
                out.add(new Section(c));
            }
            return out;
        }
    }
}
