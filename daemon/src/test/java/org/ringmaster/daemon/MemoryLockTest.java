package org.ringmaster.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The decision whether to lock, on a scripted C library (the real call would lock this test JVM). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MemoryLockTest {

    static final class ScriptedLibC implements MemoryLock.LibC {
        int euid;
        long memlock;
        int mlockallResult;
        int mlockallFlags = -1;

        @Override
        public int mlockall(int flags) {
            mlockallFlags = flags;
            return mlockallResult;
        }

        @Override
        public int getrlimit(int resource, long[] limit) {
            assertThat(resource).as("RLIMIT_MEMLOCK").isEqualTo(8);
            limit[0] = memlock;
            limit[1] = memlock;
            return 0;
        }

        @Override
        public int geteuid() {
            return euid;
        }
    }

    @Test
    void rootLocksCurrentAndFutureMappings() {
        ScriptedLibC libc = new ScriptedLibC();
        libc.euid = 0;
        libc.memlock = 8 << 20;
        MemoryLock.Outcome o = MemoryLock.lock(libc);
        assertThat(o.locked()).isTrue();
        assertThat(libc.mlockallFlags).as("MCL_CURRENT | MCL_FUTURE").isEqualTo(3);
        assertThat(o.message()).contains("memory locked", "as root");
    }

    @Test
    void anUnprivilegedDaemonUnderALimitDoesNotLockAndSaysWhy() {
        ScriptedLibC libc = new ScriptedLibC();
        libc.euid = 1000;
        libc.memlock = 8L << 20;
        MemoryLock.Outcome o = MemoryLock.lock(libc);
        assertThat(o.locked()).isFalse();
        assertThat(libc.mlockallFlags).as("mlockall not called").isEqualTo(-1);
        assertThat(o.message()).contains("not locked", "RLIMIT_MEMLOCK is 8388608 bytes", "LimitMEMLOCK=infinity");
    }

    @Test
    void anUnlimitedLimitLetsAnUnprivilegedDaemonLock() {
        ScriptedLibC libc = new ScriptedLibC();
        libc.euid = 1000;
        libc.memlock = -1L; // RLIM_INFINITY
        assertThat(MemoryLock.lock(libc).locked()).isTrue();
        assertThat(libc.mlockallFlags).isEqualTo(3);
    }

    @Test
    void aFailedMlockallIsReportedNotFatal() {
        ScriptedLibC libc = new ScriptedLibC();
        libc.euid = 0;
        libc.mlockallResult = -1;
        MemoryLock.Outcome o = MemoryLock.lock(libc);
        assertThat(o.locked()).isFalse();
        assertThat(o.message()).contains("mlockall(MCL_CURRENT|MCL_FUTURE) failed, errno");
    }
}
