package org.ringmaster.daemon.node;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Optional;
import org.ringmaster.daemon.config.QuorumDeviceConfig;
import org.ringmaster.quorum.QuorumDevice;
import org.ringmaster.quorum.ping.IcmpProbe;
import org.ringmaster.quorum.ping.PingDevice;
import org.ringmaster.quorum.ping.ReachabilityProbe;
import org.ringmaster.quorum.ping.TcpProbe;
import org.ringmaster.quorum.ping.UdpProbe;
import org.ringmaster.quorum.qdisk.FileDiskIo;
import org.ringmaster.quorum.qdisk.ProcessHeuristicRunner;
import org.ringmaster.quorum.qdisk.QdiskException;
import org.ringmaster.quorum.qdisk.QuorumDisk;

/** Opens the quorum device of the {@code quorum.device} section: a quorum disk or ping targets. */
final class QuorumDevices {

    private QuorumDevices() {
    }

    /**
     * @return the device, or empty when none is configured (or its model, corosync's net, is not ours)
     * @throws IllegalArgumentException starting with the key at fault, e.g. a quorum disk that cannot be
     *                                  opened or is not formatted
     */
    static Optional<QuorumDevice> open(NodeSettings settings) {
        if (settings.quorum().isEmpty() || settings.quorum().get().deviceVotes() == 0) {
            return Optional.empty();
        }
        Optional<QuorumDeviceConfig> device = settings.cluster().quorum().device();
        if (device.isEmpty()) {
            return Optional.empty();
        }
        QuorumDeviceConfig d = device.get();
        if (d.qdisk().isPresent()) {
            QuorumDeviceConfig.Qdisk q = d.qdisk().get();
            FileDiskIo io;
            try {
                io = FileDiskIo.open(q.path());
            } catch (IOException e) {
                throw new IllegalArgumentException("quorum.device.qdisk.path: cannot open the quorum disk " + q.path()
                        + ": " + e, e);
            }
            ProcessHeuristicRunner runner = new ProcessHeuristicRunner();
            try {
                // A fresh incarnation per run: peers see a restarted node as new, and two processes with the
                // same node id on one disk notice each other.
                return Optional.of(new QuorumDisk(q.config(), settings.nodeId(), io, runner,
                        new SecureRandom().nextLong()));
            } catch (QdiskException e) {
                runner.close();
                try {
                    io.close();
                } catch (IOException ignored) {
                    // already failing with the more useful error below
                }
                throw new IllegalArgumentException("quorum.device.qdisk.path: " + e.getMessage()
                        + " (a new disk is formatted with 'ringctl qdisk format " + q.path() + "')", e);
            }
        }
        if (d.ping().isPresent()) {
            QuorumDeviceConfig.Ping p = d.ping().get();
            ReachabilityProbe probe = switch (p.probe()) {
                case ICMP -> new IcmpProbe();
                case TCP -> new TcpProbe();
                case UDP -> new UdpProbe();
            };
            return Optional.of(new PingDevice(p.toPingConfig(settings.cluster().totem().effectiveTokenMs()), probe));
        }
        return Optional.empty();
    }
}
