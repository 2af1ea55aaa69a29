package org.ringmaster.agents.exec;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the local resource manager. Immutable; validation names the bad key.
 *
 * @param maxConcurrent      how many resources may run an operation at the same time (default 4; Pacemaker's
 *                           {@code node-action-limit})
 * @param defaultTimeout     timeout of an operation that gives none and whose agent advertises none (default 20 s)
 * @param historyPerResource results kept per resource (default 32)
 * @param closeTimeout       how long {@code close()} waits for running operations (default 10 s)
 */
public record ExecutorConfig(int maxConcurrent, Duration defaultTimeout, int historyPerResource,
                             Duration closeTimeout) {

    public ExecutorConfig {
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (maxConcurrent < 1 || maxConcurrent > 1024) {
            throw new IllegalArgumentException("maxConcurrent " + maxConcurrent + " must be in [1, 1024]");
        }
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("defaultTimeout " + defaultTimeout + " must be positive");
        }
        if (historyPerResource < 1 || historyPerResource > 10_000) {
            throw new IllegalArgumentException("historyPerResource " + historyPerResource + " must be in [1, 10000]");
        }
        if (closeTimeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout " + closeTimeout + " must not be negative");
        }
    }

    /** The documented defaults. */
    public static ExecutorConfig defaults() {
        return new ExecutorConfig(4, Duration.ofSeconds(20), 32, Duration.ofSeconds(10));
    }

    public ExecutorConfig withMaxConcurrent(int n) {
        return new ExecutorConfig(n, defaultTimeout, historyPerResource, closeTimeout);
    }

    public ExecutorConfig withHistoryPerResource(int n) {
        return new ExecutorConfig(maxConcurrent, defaultTimeout, n, closeTimeout);
    }

    public ExecutorConfig withDefaultTimeout(Duration t) {
        return new ExecutorConfig(maxConcurrent, t, historyPerResource, closeTimeout);
    }
}
