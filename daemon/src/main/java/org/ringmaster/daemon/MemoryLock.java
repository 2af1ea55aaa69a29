package org.ringmaster.daemon;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Locks the daemon's memory into RAM with {@code mlockall(MCL_CURRENT | MCL_FUTURE)}, as Corosync
 * does, so that a token never waits on a page swapped out under memory pressure.
 *
 * <p>Only where it is safe: {@code MCL_FUTURE} makes every later mapping count against
 * {@code RLIMIT_MEMLOCK}, and a JVM that grows its heap, stacks or code cache past that limit
 * would then fail its own allocations. So the lock is taken only as root (CAP_IPC_LOCK ignores the
 * limit) or with an unlimited {@code RLIMIT_MEMLOCK} (the shipped systemd unit sets
 * {@code LimitMEMLOCK=infinity}); otherwise the daemon runs unlocked and says why.
 */
final class MemoryLock
{
    // Linux x86_64 and aarch64 values (asm-generic).
    private static final int MCL_CURRENT = 1;
    private static final int MCL_FUTURE = 2;
    private static final int RLIMIT_MEMLOCK = 8;
    private static final long RLIM_INFINITY = -1L;

    /** The C library calls used; nothing else is mapped. */
    interface LibC extends Library
    {
        int mlockall(int flags);

        /** {@code struct rlimit} on 64-bit Linux is two {@code unsigned long}s: current, maximum. */
        int getrlimit(int resource, long[] limit);

        int geteuid();
    }

    /** What happened, one line for the log. */
    record Outcome(boolean locked, String message)
    {
    }

    private MemoryLock()
    {
    }

    static Outcome lock()
    {
        if (!Platform.isLinux() || !(Platform.isIntel() || Platform.isARM()) || !Platform.is64Bit())
        {
            return new Outcome(false, "memory is not locked: mlockall(2) is only called on 64-bit Linux (x86_64, "
                + "aarch64), this is " + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
        final LibC libc;
        try
        {
            libc = Native.load("c", LibC.class);
        }
        catch (final LinkageError e)
        {
            return new Outcome(false, "memory is not locked: cannot load the C library through JNA: " + e.getMessage());
        }
        return lock(libc);
    }

    static Outcome lock(final LibC libc)
    {
        final long[] limit = new long[2];
        final boolean root = libc.geteuid() == 0;
        if (!root)
        {
            if (libc.getrlimit(RLIMIT_MEMLOCK, limit) != 0)
            {
                return new Outcome(false, "memory is not locked: getrlimit(RLIMIT_MEMLOCK) failed, errno "
                    + Native.getLastError());
            }
            if (limit[0] != RLIM_INFINITY)
            {
                return new Outcome(false, "memory is not locked: not root and RLIMIT_MEMLOCK is " + limit[0]
                    + " bytes; locking future mappings under that limit would make the JVM's own later allocations "
                    + "fail (set LimitMEMLOCK=infinity, as the shipped systemd unit does)");
            }
        }
        if (libc.mlockall(MCL_CURRENT | MCL_FUTURE) != 0)
        {
            final int errno = Native.getLastError();
            return new Outcome(false, "memory is not locked: mlockall(MCL_CURRENT|MCL_FUTURE) failed, errno " + errno
                + (errno == 12 ? " (ENOMEM: not enough lockable memory)" : errno == 1 ? " (EPERM)" : ""));
        }
        return new Outcome(true, "memory locked (mlockall MCL_CURRENT|MCL_FUTURE" + (root ? ", as root" : "")
            + "): the ring never waits on a swapped-out page");
    }
}
