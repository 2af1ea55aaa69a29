package org.ringmaster.totem.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SessionKeysTest
{
    private final List<String> derived = new ArrayList<>();
    private final SessionKeys<String> keys = new SessionKeys<>(List.of(1, 2), (sender, session) ->
    {
        final String k = sender + "/" + session;
        derived.add(k);
        return k;
    });

    @Test
    void aSessionIsDerivedOnceWhileTriedAndKeptOnceAccepted()
    {
        assertThat(keys.keys(2, 7)).isEqualTo("2/7");
        assertThat(keys.keys(2, 7)).isEqualTo("2/7");
        keys.accepted(2, 7);
        assertThat(keys.keys(2, 7)).isEqualTo("2/7");
        assertThat(derived).containsExactly("2/7");
    }

    @Test
    void forgedSessionsNeverEvictTheAcceptedKeys()
    {
        keys.keys(1, 5);
        keys.accepted(1, 5);
        for (long forged = 100; forged < 110; forged++)
        {
            assertThat(keys.keys(1, forged)).isEqualTo("1/" + forged);
        }
        assertThat(keys.keys(1, 5)).isEqualTo("1/5");
        // 1/5 once, then one derivation per forged session, none again for 1/5.
        assertThat(derived).hasSize(11).containsOnlyOnce("1/5");
    }

    @Test
    void anAcceptedNewSessionReplacesTheOldAndTheOldStaysAtHand()
    {
        keys.keys(1, 5);
        keys.accepted(1, 5);
        keys.keys(1, 6);
        keys.accepted(1, 6);
        assertThat(keys.keys(1, 6)).isEqualTo("1/6");
        assertThat(keys.keys(1, 5)).isEqualTo("1/5");
        assertThat(derived).containsExactly("1/5", "1/6");
    }

    @Test
    void acceptingASessionThatWasNeverTriedChangesNothing()
    {
        keys.keys(1, 5);
        keys.accepted(1, 9);
        keys.accepted(1, 5);
        assertThat(keys.keys(1, 5)).isEqualTo("1/5");
        assertThat(derived).containsExactly("1/5");
    }

    @Test
    void aSenderOutsideTheNodeListHasNoKeys()
    {
        assertThat(keys.keys(3, 1)).isNull();
        keys.accepted(3, 1);
        assertThat(derived).isEmpty();
    }
}
