package org.ringmaster.daemon.node;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.crm.api.fencing.FenceAction;
import org.ringmaster.crm.api.fencing.FenceListener;
import org.ringmaster.crm.api.fencing.FenceRequest;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.daemon.config.ConfigEntry;
import org.ringmaster.daemon.config.ConfigSection;
import org.ringmaster.fencing.AgentDeviceRunner;
import org.ringmaster.fencing.AlertProgram;
import org.ringmaster.fencing.DeviceRunner;
import org.ringmaster.fencing.FenceAlertSink;
import org.ringmaster.fencing.FenceDevice;
import org.ringmaster.fencing.FenceHistoryEntry;
import org.ringmaster.fencing.FencingConfig;
import org.ringmaster.fencing.FencingConfigReader;
import org.ringmaster.fencing.FencingService;
import org.ringmaster.fencing.ManualDeviceRunner;
import org.ringmaster.fencing.OrderedChannel;
import org.ringmaster.fencing.agent.AgentOutcome;
import org.ringmaster.fencing.agent.FenceAgentException;
import org.ringmaster.fencing.agent.FenceAgentExecutor;
import org.ringmaster.fencing.agent.HostListEntry;
import org.ringmaster.fencing.sbd.PillWatcher;
import org.ringmaster.fencing.sbd.PoisonPillDeviceRunner;
import org.ringmaster.fencing.sbd.PoisonPillDisk;
import org.ringmaster.fencing.sbd.PoisonPillDiskException;
import org.ringmaster.fencing.sbd.SelfFence;
import org.ringmaster.fencing.sbd.SlotMessage;
import org.ringmaster.fencing.sbd.Watchdog;
import org.ringmaster.fencing.sbd.WatchdogDevice;
import org.ringmaster.fencing.sbd.WatcherConfig;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.EvsChannel;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.totem.Guarantee;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fencer of one node, as the {@code fencing} section configures it: a {@link FencingService} over its own
 * ring sub-channel, running fence agents on worker threads, plus the built-in device types: {@code manual} (waits
 * for {@link #confirm}) and {@code poison-pill} (writes pills on a shared disk; this node also watches its own slot
 * and feeds its watchdog while healthy). The sub-channel's messages and regular configurations are handed to the
 * service in ring order (both go through its single event thread).
 *
 * <p>At construction every device is checked against its agent's metadata ({@code metadata} is run once per
 * agent): an unknown or missing parameter stops the node with the key's place.
 *
 * <p>Threads: {@link #onMessage}/{@link #onConfigurationChange} on the node's agent thread; the service on its
 * own thread; {@link #multicast} from the service's thread (the ring's send queue is many-to-one safe); the admin
 * methods from any thread (their blocking parts run on worker threads).
 */
public final class FencerHost implements OrderedChannel, EvsListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FencerHost.class);

    /** Exit code of a daemon that fenced itself (poison pill received, shared disk lost). */
    public static final int SELF_FENCED_EXIT = 86;

    /** How a device test went ({@code ringctl fence test}). */
    public record DeviceCheck(String device, String agent, String action, boolean ok, String detail) {
    }

    /**
     * Which cluster nodes a device can fence ({@code ringctl fence devices}).
     *
     * @param nodes names from the node list the device can fence now (for a dynamic list: as its agent's
     *              {@code list} says)
     * @param note  how that was decided, e.g. the agent's error when its list failed
     */
    public record DeviceReach(FenceDevice device, List<String> nodes, String note) {
    }

    private final NodeSettings settings;
    private final EvsChannel channel;
    private final FencingConfig config;
    private final FenceAgentExecutor executor;
    private final AgentDeviceRunner runner;
    private final ExecutorService workers;
    private final Map<String, PoisonPillDisk> pillDisks = new HashMap<>();
    private final List<PoisonPillDisk> watchedDisks = new ArrayList<>();
    private final List<PillWatcher> watchers = new ArrayList<>();
    private ScheduledExecutorService watcherThread;
    private final FencingService service;
    private volatile Receiver receiver;

    /**
     * Reads and checks the section, opens poison-pill disks, starts the pill watchers and the service; call
     * before the ring starts.
     *
     * @param quorate   read on the fencer's thread; must be thread-safe
     * @param selfFence what this node does when it must die (pill received, disk lost); the daemon ends itself
     * @throws IllegalArgumentException starting with {@code fencing: }, naming each bad key with its place
     */
    FencerHost(ConfigSection section, NodeSettings settings, EvsChannel channel, BooleanSupplier quorate,
               MeterRegistry meters, SelfFence selfFence) {
        FencingConfigReader.Section read = new Section(section);
        FencingConfig cfg;
        try {
            cfg = FencingConfigReader.read(read);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fencing: " + e.getMessage(), e);
        }
        this.config = cfg;
        this.executor = FenceAgentExecutor.withDefaults();
        List<String> problems = FencingConfigReader.checkAgainstMetadata(read, agent -> {
            try {
                return executor.metadata(agent);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FenceAgentException("interrupted");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("fencing: " + String.join("\n", problems));
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
        try {
            startPoisonPills(section, quorate, selfFence, local);
        } catch (RuntimeException e) {
            closeDisks();
            workers.shutdownNow();
            throw e;
        }
        Map<String, DeviceRunner> builtIns = new HashMap<>();
        builtIns.put(FenceDevice.MANUAL, new ManualDeviceRunner());
        Map<String, PoisonPillDeviceRunner> pillRunners = new HashMap<>();
        pillDisks.forEach((device, disk) -> pillRunners.put(device,
                new PoisonPillDeviceRunner(disk, local, workers, System::currentTimeMillis)));
        builtIns.put(FenceDevice.POISON_PILL, (c, done) -> pillRunners.get(c.device().name()).start(c, done));
        this.runner = new AgentDeviceRunner(executor, workers, builtIns);
        channel.listener(this);
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
        // Until the first configuration only this node is known to be a member.
        this.service = new FencingService(local, List.of(local), config, this, runner, quorate, alerts, meters);
        LOG.info("fencing: {} device(s) configured", config.devices().size());
    }

    // Every poison-pill device: a disk instance for writing pills; if this node is one the device may fence, a
    // second instance that this node's watcher reads its slot from, with the device's watchdog.
    private void startPoisonPills(ConfigSection section, BooleanSupplier quorate, SelfFence selfFence, String local) {
        Map<String, ConfigSection> sections = new HashMap<>();
        for (ConfigSection s : section.sections("device")) {
            s.value("name").ifPresent(name -> sections.put(name.trim(), s));
        }
        for (FenceDevice d : config.devices().values()) {
            if (!d.agent().equals(FenceDevice.POISON_PILL)) {
                continue;
            }
            ConfigSection s = sections.get(d.name());
            String where = place(s, "disk");
            Path disk = Path.of(d.params().get("disk").trim());
            try {
                pillDisks.put(d.name(), PoisonPillDisk.open(disk));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("fencing: " + where + ": fence device '" + d.name() + "': "
                        + e.getMessage() + " (initialise it with 'ringctl pill create " + disk + "')", e);
            }
            if (!d.mayFence(local)) {
                continue;
            }
            String wd = d.params().get("watchdog") == null ? "none" : d.params().get("watchdog").trim();
            Watchdog watchdog = wd.equals("none") ? Watchdog.none() : new WatchdogDevice(Path.of(wd));
            if (wd.equals("none")) {
                LOG.warn("fencing: device '{}' has no watchdog: a hung node that cannot read its pill is not reset "
                        + "(set 'watchdog: /dev/watchdog' in production)", d.name());
            }
            PoisonPillDisk mine = PoisonPillDisk.open(disk);
            watchedDisks.add(mine);
            String interval = d.params().get("read_interval");
            try {
                // Default: every second, or often enough to notice a lost disk well within a short watchdog timeout.
                Duration every = interval != null ? FencingConfigReader.duration(new FencingConfigReader.Entry(
                        "read_interval", interval, place(s, "read_interval")))
                        : min(Duration.ofSeconds(1), mine.layout().watchdogTimeout().dividedBy(4));
                WatcherConfig wc = new WatcherConfig(local, every, mine.layout().watchdogTimeout(),
                        WatcherConfig.QuorumPolicy.IGNORE, SlotMessage.RESET, true);
                PillWatcher w = new PillWatcher(wc, mine, watchdog, selfFence, quorate, System::currentTimeMillis);
                w.start(System.nanoTime());
                watchers.add(w);
            } catch (PoisonPillDiskException e) {
                String key = e.getMessage().startsWith("watchdog ") ? "watchdog" : "disk";
                throw new IllegalArgumentException("fencing: " + place(s, key) + ": fence device '" + d.name()
                        + "': " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                String at = place(s, "read_interval");
                throw new IllegalArgumentException("fencing: " + (e.getMessage().startsWith(at) ? ""
                        : at + ": ") + "fence device '" + d.name() + "': " + e.getMessage(), e);
            }
        }
        if (!watchers.isEmpty()) {
            watcherThread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ringmaster-pill-watcher-" + local);
                t.setDaemon(true);
                return t;
            });
            long periodMs = 50; // feeds the watchdog; slots are read at each watcher's own read_interval
            watcherThread.scheduleWithFixedDelay(() -> {
                long now = System.nanoTime();
                for (PillWatcher w : watchers) {
                    try {
                        w.doWork(now);
                    } catch (RuntimeException e) {
                        LOG.error("pill watcher failed", e);
                    }
                }
            }, 0, periodMs, TimeUnit.MILLISECONDS);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String place(ConfigSection s, String key) {
        if (s == null) {
            return "fencing";
        }
        for (ConfigEntry e : s.entries()) {
            if (e.key().equals(key)) {
                return e.keyPosition().toString();
            }
        }
        return s.position().toString();
    }

    /** The running fencer (the CRM's {@link org.ringmaster.crm.api.fencing.Fencer}). */
    public FencingService service() {
        return service;
    }

    /** The validated configuration. */
    public FencingConfig config() {
        return config;
    }

    /** Every fencing operation this node learnt, oldest first, with its device attempts. */
    public CompletableFuture<List<FenceHistoryEntry>> history() {
        return service.detailedHistory();
    }

    /** An admin's fencing request; completes with the cluster-wide result. */
    public CompletableFuture<FenceResult> fence(String node, FenceAction action) {
        return service.fence(new FenceRequest(node, action, "requested by an admin on "
                + settings.nameOf(settings.nodeId())));
    }

    /**
     * Manual fencing: the admin vouches that {@code node} is off. Completes with the recorded result once the
     * confirmation went through the ring (every node learns it in the same order).
     */
    public CompletableFuture<FenceResult> confirm(String node) {
        CompletableFuture<FenceResult> f = new CompletableFuture<>();
        FenceListener l = r -> {
            if (r.target().equals(node) && r.succeeded() && r.device().equals(FenceDevice.MANUAL)) {
                f.complete(r);
            }
        };
        service.addListener(l);
        f.whenComplete((r, e) -> service.removeListener(l));
        service.confirm(node);
        return f;
    }

    /**
     * Checks a device without fencing anything: {@code monitor} (or {@code status}) through its agent; a
     * poison-pill disk is read; a manual device has nothing to check.
     */
    public CompletableFuture<DeviceCheck> test(String deviceName) {
        FenceDevice d = config.devices().get(deviceName);
        if (d == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no fence device '" + deviceName
                    + "'; configured: " + String.join(", ", config.devices().keySet())));
        }
        return onWorker(() -> check(d));
    }

    private DeviceCheck check(FenceDevice d) throws InterruptedException {
        if (d.agent().equals(FenceDevice.MANUAL)) {
            return new DeviceCheck(d.name(), d.agent(), "none", true,
                    "manual fencing: an admin confirms with 'ringctl fence confirm NODE'");
        }
        if (d.agent().equals(FenceDevice.POISON_PILL)) {
            PoisonPillDisk disk = pillDisks.get(d.name());
            try {
                List<PoisonPillDisk.SlotRead> slots;
                synchronized (disk) {
                    slots = disk.list();
                }
                List<String> used = new ArrayList<>();
                long corrupt = 0;
                for (PoisonPillDisk.SlotRead s : slots) {
                    if (s.slot().isPresent()) {
                        used.add(s.slot().get().node() + " " + s.slot().get().message());
                    } else if (!s.isFree()) {
                        corrupt++;
                    }
                }
                return new DeviceCheck(d.name(), d.agent(), "read", corrupt == 0, disk.name() + ": "
                        + slots.size() + " slots, msgwait " + disk.layout().msgwait().toMillis() + " ms, in use: "
                        + (used.isEmpty() ? "none" : String.join(", ", used))
                        + (corrupt == 0 ? "" : ", " + corrupt + " corrupt"));
            } catch (java.io.IOException | RuntimeException e) {
                return new DeviceCheck(d.name(), d.agent(), "read", false, String.valueOf(e.getMessage()));
            }
        }
        AgentOutcome o = runner.test(d);
        return new DeviceCheck(d.name(), d.agent(), o.action().wireName(), o.succeeded(), o.describe()
                + (o.powerState() == AgentOutcome.PowerState.UNKNOWN ? "" : " (power " + o.powerState() + ")"));
    }

    /** Which nodes of the node list each device can fence; dynamic lists are asked from their agents. */
    public CompletableFuture<List<DeviceReach>> devices() {
        List<String> nodes = settings.cluster().nodes().stream()
                .map(nc -> nc.name().orElse(String.valueOf(nc.nodeid()))).toList();
        return onWorker(() -> {
            List<DeviceReach> out = new ArrayList<>();
            for (FenceDevice d : config.devices().values()) {
                out.add(reach(d, nodes));
            }
            return out;
        });
    }

    private DeviceReach reach(FenceDevice d, List<String> nodes) throws InterruptedException {
        if (d.hostCheck() != FenceDevice.HostCheck.DYNAMIC_LIST || d.isBuiltIn()) {
            return new DeviceReach(d, nodes.stream().filter(d::mayFence).toList(),
                    d.hostCheck().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        try {
            List<HostListEntry> ports = executor.list(d.agent(), d.params(), d.timeout(), 0);
            return new DeviceReach(d, nodes.stream().filter(nd -> ports.stream().anyMatch(p -> p.matches(nd)))
                    .toList(), "dynamic-list: " + ports.size() + " port(s)");
        } catch (FenceAgentException e) {
            return new DeviceReach(d, List.of(), "dynamic-list: " + d.params().redact(e.getMessage()));
        }
    }

    private interface Blocking<T> {
        T get() throws InterruptedException;
    }

    private <T> CompletableFuture<T> onWorker(Blocking<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                try {
                    f.complete(work.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    f.completeExceptionally(e);
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("the fencer is stopping"));
        }
        return f;
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

    /** Stops the service, the pill watchers (disarming their watchdogs: an orderly stop) and the workers. */
    @Override
    public void close() {
        try {
            service.close();
        } finally {
            if (watcherThread != null) {
                watcherThread.shutdown();
                try {
                    watcherThread.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                long now = System.nanoTime();
                watchers.forEach(w -> w.stop(now));
            }
            workers.shutdownNow();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeDisks();
        }
    }

    private void closeDisks() {
        pillDisks.values().forEach(PoisonPillDisk::close);
        watchedDisks.forEach(PoisonPillDisk::close);
    }

    /** The daemon's parsed {@code fencing} section as the fencing module reads it (for offline checks). */
    public static FencingConfigReader.Section section(ConfigSection fencing) {
        return new Section(fencing);
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
