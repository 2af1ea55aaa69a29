package org.ringmaster.crm.simple.run;

import java.util.Arrays;
import java.util.List;
import org.ringmaster.crm.simple.policy.Action;

/**
 * The transition being carried out, as every member of the configuration knows it: the DC's actions and
 * how far each got. Changed only by delivered messages, so it is the same on every member.
 */
final class TransitionRun {
    static final byte WAITING = 0;
    static final byte RUNNING = 1;
    static final byte DONE = 2;
    static final byte FAILED = 3;

    final long id;
    final List<Action> actions;
    final byte[] state;
    boolean aborted;

    TransitionRun(long id, List<Action> actions) {
        this.id = id;
        this.actions = List.copyOf(actions);
        this.state = new byte[actions.size()];
    }

    /** Every dependency of action {@code idx} is done. */
    boolean ready(int idx) {
        if (aborted || state[idx] != WAITING) {
            return false;
        }
        for (int d : actions.get(idx).after()) {
            if (state[d] != DONE) {
                return false;
            }
        }
        return true;
    }

    boolean anyRunning() {
        for (byte b : state) {
            if (b == RUNNING) {
                return true;
            }
        }
        return false;
    }

    /** Nothing runs and nothing more will start. */
    boolean finished() {
        if (anyRunning()) {
            return false;
        }
        if (aborted) {
            return true;
        }
        for (byte b : state) {
            if (b != DONE) {
                return false;
            }
        }
        return true;
    }

    /** e.g. {@code transition 4: 3/5 done, 1 running (aborted)}. */
    String describe() {
        long done = 0;
        long running = 0;
        for (byte b : state) {
            done += b == DONE ? 1 : 0;
            running += b == RUNNING ? 1 : 0;
        }
        return "transition " + id + ": " + done + "/" + actions.size() + " done, " + running + " running"
                + (aborted ? " (aborted)" : "");
    }

    @Override
    public String toString() {
        return describe() + " " + Arrays.toString(state);
    }
}
