package org.ringmaster.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WarmupTest
{
    @Test
    void autoIsThreeSecondsFlatOut()
    {
        assertThat(Warmup.seconds("auto", 0)).isEqualTo(3);
    }

    @Test
    void autoLetsEverySenderSendFifteenThousandMessagesAtAPacedRate()
    {
        assertThat(Warmup.seconds("auto", 1000)).isEqualTo(15);
        assertThat(Warmup.seconds("auto", 700)).isEqualTo(22); // 21.4 s, rounded up
        assertThat(Warmup.seconds("auto", 100_000)).isEqualTo(3); // never below the flat-out warm-up
        assertThat(Warmup.seconds("auto", 100)).isEqualTo(30); // capped
    }

    @Test
    void secondsAreTakenAsGiven()
    {
        assertThat(Warmup.seconds("0", 1000)).isZero();
        assertThat(Warmup.seconds("7", 0)).isEqualTo(7);
    }

    @Test
    void anythingElseIsRefusedNamingTheOption()
    {
        assertThatThrownBy(() -> Warmup.seconds("-1", 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("--warmup -1: seconds (0 or more) or auto");
        assertThatThrownBy(() -> Warmup.seconds("soon", 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("--warmup soon: seconds (0 or more) or auto");
    }
}
