package org.ringmaster.daemon.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class ClientPolicyTest {

    @Test
    void rootAndTheDaemonsUserAreAllowed() {
        ClientPolicy p = new ClientPolicy("hacluster", Optional.empty());
        assertThat(p.refusal("root", "root")).isNull();
        assertThat(p.refusal("hacluster", "haclient")).isNull();
    }

    @Test
    void othersAreRefusedWithAReason() {
        ClientPolicy p = new ClientPolicy("root", Optional.empty());
        assertThat(p.refusal("alice", "users")).isEqualTo("refused: user alice (group users) may not use this socket; "
                + "allowed: root (ringmasterd --socket-group GROUP lets a group in)");
    }

    @Test
    void theSocketGroupIsAllowed() {
        ClientPolicy p = new ClientPolicy("root", Optional.of("haclient"));
        assertThat(p.refusal("alice", "haclient")).isNull();
        assertThat(p.refusal("bob", "users")).contains("allowed: root, members of group haclient");
    }
}
