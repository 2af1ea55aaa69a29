package org.ringmaster.daemon.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ringmaster.daemon.config.CrmConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in ping attribute, as heartbeat's pingd: every interval it probes the configured hosts
 * ({@link InetAddress#isReachable}: ICMP echo where the JVM may send it, else a TCP connection to port 7, where
 * a refusal also proves the host is there; a {@code tcp:HOST:PORT} target counts only when a connection to that
 * port is accepted) and sets this node's attribute to multiplier x the hosts that
 * answered. Only a changed value is sent. Runs on its own daemon thread, so slow probes never hold the ring.
 */
final class PingAttribute implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PingAttribute.class);

    private final CrmConfig.Ping config;
    private final NodeAttributes attributes;
    private final int self;
    private final ScheduledExecutorService timer;
    private String last;

    PingAttribute(CrmConfig.Ping config, NodeAttributes attributes, int self) {
        this.config = config;
        this.attributes = attributes;
        this.self = self;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ringmaster-ping-" + self);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        timer.scheduleWithFixedDelay(this::probe, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("ping attribute {}: probing {} every {} ms (x {})", config.attribute(), config.hosts(),
                config.interval().toMillis(), config.multiplier());
    }

    /** Probes every host once and sends the value if it changed; the probe thread. */
    void probe() {
        int reachable = 0;
        for (String host : config.hosts()) {
            try {
                if (reachable(host)) {
                    reachable++;
                }
            } catch (IOException e) {
                LOG.debug("ping {}: {}", host, e.toString());
            } catch (RuntimeException e) {
                LOG.warn("ping {}: {}", host, e.toString());
            }
        }
        String value = String.valueOf((long) reachable * config.multiplier());
        // Also resend what we hold when the replicated value differs (e.g. lost while we were alone).
        if (!value.equals(last) || !value.equals(attributes.of(self).get(config.attribute()))) {
            if (!value.equals(last)) {
                LOG.info("ping attribute {} = {} ({} of {} hosts reachable)", config.attribute(), value, reachable,
                        config.hosts().size());
            }
            last = value;
            String problem = attributes.set(self, config.attribute(), value);
            if (problem != null) {
                LOG.error("ping attribute {}: {}", config.attribute(), problem);
            }
        }
    }

    private boolean reachable(String target) throws IOException {
        int timeout = (int) config.timeout().toMillis();
        if (target.startsWith("tcp:")) {
            int colon = target.lastIndexOf(':');
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(target.substring(4, colon), Integer.parseInt(target.substring(colon + 1))),
                        timeout);
                return true;
            } catch (IOException refusedOrTimedOut) {
                return false;
            }
        }
        return InetAddress.getByName(target).isReachable(timeout);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
