package org.ringmaster.agents.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The few fields of {@code /proc/PID/stat} the executor needs.
 *
 * @param pid       process id
 * @param state     one-letter state ({@code R S D Z T ...})
 * @param pgrp      process group id
 * @param startTime start time in clock ticks since boot (tells a reused pid apart)
 */
public record ProcStat(long pid, char state, long pgrp, long startTime) {

    /** Reads a stat file; returns {@code null} when the process is gone or the file is unreadable. */
    public static ProcStat read(Path statFile) {
        String s;
        try {
            s = Files.readString(statFile);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        // The command name is in parentheses and may itself contain spaces or ')'.
        int close = s.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = s.substring(close + 2).trim().split(" ");
        try {
            long pid = Long.parseLong(s.substring(0, s.indexOf(' ')).trim());
            return new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[19]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Reads {@code /proc/PID/stat}; {@code null} if the process does not exist. */
    public static ProcStat of(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "stat"));
    }
}
