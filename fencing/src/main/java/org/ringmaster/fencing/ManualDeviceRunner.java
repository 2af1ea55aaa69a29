package org.ringmaster.fencing;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manual fencing ("meatware"): nothing is switched; the operation waits until an admin has made sure the node is
 * off and confirms it ({@code ringctl fence confirm NODE}, i.e. {@link FenceCoordinator#confirm}), or until the
 * operation timeout fails it. Register it for agent {@link FenceDevice#MANUAL}.
 */
public final class ManualDeviceRunner implements DeviceRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ManualDeviceRunner.class);

    @Override
    public void start(DeviceCommand c, Consumer<DeviceOutcome> done) {
        LOG.error("MANUAL FENCING of {} (operation #{}): make sure {} is powered off, then run "
            + "'ringctl fence confirm {}'", c.target(), c.operationId(), c.target(), c.target());
    }
}
