package org.ringmaster.quorum.qdisk;

import java.util.HashMap;
import java.util.Map;

/** Answers heuristics synchronously from a table the test flips. */
final class ScriptedHeuristics implements HeuristicRunner
{
    final Map<String, Boolean> outcome = new HashMap<>();
    int runs;

    @Override
    public void start(final Heuristic h, final Callback callback)
    {
        runs++;
        final boolean pass = outcome.getOrDefault(h.program(), true);
        callback.done(pass, pass ? "exit 0" : "exit 1");
    }

    @Override
    public void close()
    {
    }
}
