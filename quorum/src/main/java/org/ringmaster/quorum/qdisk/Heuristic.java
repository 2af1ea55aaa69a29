package org.ringmaster.quorum.qdisk;

/**
 * One qdisk heuristic, after qdisk(5) {@code <heuristic program score interval tko/>}: a shell command
 * whose exit code 0 means "pass".
 *
 * @param program    run as {@code sh -c program}.
 * @param score      added to the node's score while the heuristic passes (default 1).
 * @param intervalMs how often it runs (default 2000).
 * @param tko        consecutive failures before it stops counting (default 1).
 * @param timeoutMs  a run that takes longer is killed and counts as a failure (default = interval).
 */
public record Heuristic(String program, int score, long intervalMs, int tko, long timeoutMs)
{
    public Heuristic
    {
        if (program == null || program.isBlank())
        {
            throw new QdiskException("heuristic.program", "must not be empty");
        }
        if (score < 1)
        {
            throw new QdiskException("heuristic.score", "must be >= 1, got " + score + " for '" + program + "'");
        }
        if (intervalMs < 1)
        {
            throw new QdiskException("heuristic.interval", "must be >= 1 ms, got " + intervalMs + " for '" + program + "'");
        }
        if (tko < 1)
        {
            throw new QdiskException("heuristic.tko", "must be >= 1, got " + tko + " for '" + program + "'");
        }
        if (timeoutMs < 1)
        {
            throw new QdiskException("heuristic.timeout", "must be >= 1 ms, got " + timeoutMs + " for '" + program + "'");
        }
    }

    /** A heuristic with qdisk(5) defaults: score 1, interval 2 s, tko 1, timeout = interval. */
    public static Heuristic of(final String program)
    {
        return new Heuristic(program, 1, 2000, 1, 2000);
    }
}
