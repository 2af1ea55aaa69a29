package org.ringmaster.daemon.node;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.ringmaster.crm.api.fencing.FenceListener;
import org.ringmaster.crm.api.fencing.FenceRequest;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.crm.api.fencing.FenceStatus;
import org.ringmaster.crm.api.fencing.Fencer;

/**
 * The daemon's fencer when the configuration has no {@code fencing} section (with one, {@link FencerHost} runs
 * the configured devices): every request is {@link FenceStatus#REFUSED}.
 * With fencing enabled in the CRM's configuration, a lost node's resources are therefore never recovered
 * elsewhere; that is the safe outcome (no split brain), and configurations that want recovery without
 * fencing must disable it explicitly in the CRM's configuration.
 */
final class RefusingFencer implements Fencer {

    static final String REASON = "no fencing section is configured";

    private final String origin;
    private final AtomicLong ids = new AtomicLong();

    RefusingFencer(String origin) {
        this.origin = origin;
    }

    @Override
    public CompletableFuture<FenceResult> fence(FenceRequest request) {
        return CompletableFuture.completedFuture(new FenceResult(ids.incrementAndGet(), request.target(),
                request.action(), FenceStatus.REFUSED, origin, "", "", REASON, Instant.now()));
    }

    @Override
    public void addListener(FenceListener listener) {
        // Nothing is ever fenced, so there is nothing to hear of.
    }

    @Override
    public void removeListener(FenceListener listener) {
    }

    @Override
    public List<FenceResult> history() {
        return List.of();
    }
}
