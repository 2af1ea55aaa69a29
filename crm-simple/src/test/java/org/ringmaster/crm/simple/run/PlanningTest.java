package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.policy.Action;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PlanningTest {
    static List<Action> plan() {
        return List.of(new Action(0, "fence", null, "n4", 0, List.of()),
                new Action(1, "stop", "a", "n1", 0, List.of()),
                new Action(2, "start", "a", "n2", 0, List.of(0, 1)),
                new Action(3, "start", "b", "n3", 0, List.of(2)),
                new Action(4, "start", "c", "n2", 0, List.of()));
    }

    @Test
    void maintenanceAndNonMembersDropTheirActionsAndDependents() throws Exception {
        Configuration cfg = new ConfigDocument(1, 1, "native", Configs.of(4, true, "stop", ""),
                new TreeMap<>(Map.of("node:n1:maintenance", "on"))).configuration(List.of());
        List<Action> out = Planning.runnable(cfg, Set.of("n1", "n2", "n3"), plan());
        assertThat(out).containsExactly(new Action(0, "fence", null, "n4", 0, List.of()),
                new Action(1, "start", "c", "n2", 0, List.of()));
        Configuration plain = new ConfigDocument(1, 1, "native", Configs.of(4, true, "stop", ""), new TreeMap<>())
                .configuration(List.of());
        assertThat(Planning.runnable(plain, Set.of("n1", "n2", "n3"), plan())).isEqualTo(plan());
        List<Action> noN3 = Planning.runnable(plain, Set.of("n1", "n2"), plan());
        assertThat(noN3).extracting(Action::describe)
                .containsExactly("fence n4", "stop a on n1", "start a on n2", "start c on n2");
        assertThat(noN3.get(2).after()).containsExactly(0, 1);
    }
}
