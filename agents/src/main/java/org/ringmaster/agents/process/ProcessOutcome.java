package org.ringmaster.agents.process;

import java.time.Duration;

/**
 * What happened to one agent process.
 *
 * @param exitCode   the exit status (128+N when killed by signal N); -1 when timed out
 * @param timedOut   true when the timeout expired and the process group was killed
 * @param duration   wall time from start until the process was gone
 * @param stdout     stdout when capture was requested (bounded), else empty
 * @param stdoutOverflow true when stdout exceeded the capture limit and was cut
 * @param outputTail last bytes of stdout+stderr
 * @param exitReason last {@code ocf-exit-reason:} line from stderr (prefix removed), or empty
 */
public record ProcessOutcome(int exitCode, boolean timedOut, Duration duration, String stdout, boolean stdoutOverflow,
                             String outputTail, String exitReason) {
}
