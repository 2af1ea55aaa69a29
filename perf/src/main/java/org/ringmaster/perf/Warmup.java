package org.ringmaster.perf;

/**
 * The {@code --warmup} option of {@code throughput}, {@code compare} and {@code sweep}: a number of
 * seconds, or {@code auto}.
 *
 * <p>Why auto: HotSpot's C2 compiles a method only after about {@value #MESSAGES} calls (its tier 4
 * threshold). The ring's token path runs thousands of times a second and is compiled at once, but
 * the per-message paths (offer, packing, sealing and opening a message, delivery, the latency
 * histogram) run once per message: at 1,000 msgs/s they are still being compiled, by a compiler
 * thread that takes a core for milliseconds at a time, 15 s after the start. A 3 s warm-up then put
 * those compilations into the measured window, and the p99 with them (measured: 285-2,030 µs after
 * 3 s against 129-195 µs after 15 s, same command, runs interleaved). So auto waits until every
 * sender has sent {@value #MESSAGES} messages: {@value #MIN_SECONDS} s flat out, longer at a paced
 * rate, at most {@value #MAX_SECONDS} s.
 */
final class Warmup
{
    static final String AUTO = "auto";
    /** Messages each sender sends before the window with {@code auto}: C2's tier 4 compile threshold. */
    static final int MESSAGES = 15_000;
    /** Shortest automatic warm-up, and the one for flat-out runs. */
    static final int MIN_SECONDS = 3;
    /** Longest automatic warm-up, so a slow rate does not make a run take minutes. */
    static final int MAX_SECONDS = 30;

    private Warmup()
    {
    }

    /**
     * @param option the {@code --warmup} value: seconds (0 or more) or {@code auto}
     * @param rate   messages/s per sender, 0 for flat out
     * @return the warm-up in seconds
     * @throws IllegalArgumentException naming {@code --warmup} when the value is neither
     */
    static int seconds(final String option, final int rate)
    {
        if (AUTO.equals(option))
        {
            if (rate <= 0)
            {
                return MIN_SECONDS;
            }
            final long needed = (MESSAGES + rate - 1L) / rate;
            return (int)Math.max(MIN_SECONDS, Math.min(MAX_SECONDS, needed));
        }
        final int seconds;
        try
        {
            seconds = Integer.parseInt(option);
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("--warmup " + option + ": seconds (0 or more) or auto", e);
        }
        if (seconds < 0)
        {
            throw new IllegalArgumentException("--warmup " + option + ": seconds (0 or more) or auto");
        }
        return seconds;
    }
}
