package org.ringmaster.membership.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DuplicateWindowTest
{
    private static final long TAKEOVER = TimeUnit.SECONDS.toNanos(2);
    private static final long S1 = 1000L << DuplicateWindow.SESSION_RANDOM_BITS | 5;
    private static final long S2 = 2000L << DuplicateWindow.SESSION_RANDOM_BITS | 3;

    @Test
    void eachSequenceIsAcceptedOnceInAnyOrderWithinTheWindow()
    {
        final DuplicateWindow w = new DuplicateWindow(TAKEOVER);
        assertThat(w.accept(S1, 1, 0)).isTrue();
        assertThat(w.accept(S1, 1, 0)).isFalse();
        assertThat(w.accept(S1, 5, 0)).isTrue();
        assertThat(w.accept(S1, 3, 0)).as("late but new").isTrue();
        assertThat(w.accept(S1, 3, 0)).isFalse();
        assertThat(w.accept(S1, 5, 0)).isFalse();
        assertThat(w.accept(S1, 4, 0)).isTrue();
        assertThat(w.accept(S1, 2, 0)).isTrue();
        assertThat(w.accept(S1, 5 + DuplicateWindow.WINDOW, 0)).isTrue();
        assertThat(w.accept(S1, 5, 0)).as("fell out of the window").isFalse();
        assertThat(w.accept(S1, 6, 0)).as("oldest inside the window, never seen").isTrue();
        assertThat(w.accept(S1, 6, 0)).isFalse();
        assertThat(w.accept(S1, 100_000, 0)).isTrue();
        assertThat(w.accept(S1, 100_000 - 1, 0)).isTrue();
        assertThat(w.accept(S1, 100_000 - 1, 0)).isFalse();
    }

    @Test
    void aRestartedSenderIsAcceptedAtOnceButItsOldSessionIsNotWhileTheNewOneIsAlive()
    {
        final DuplicateWindow w = new DuplicateWindow(TAKEOVER);
        assertThat(w.accept(S1, 500, 0)).isTrue();
        assertThat(w.accept(S2, 1, 10)).as("later session: the sender restarted").isTrue();
        assertThat(w.accept(S2, 2, 10)).isTrue();
        assertThat(w.accept(S1, 501, 20)).as("stray copy from before the restart").isFalse();
        assertThat(w.accept(S2, 3, 30)).isTrue();
        assertThat(w.accept(S1, 1, 30 + TAKEOVER)).as("current session silent for the takeover time").isTrue();
        assertThat(w.accept(S1, 1, 30 + TAKEOVER)).isFalse();
    }
}
