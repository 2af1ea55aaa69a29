package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.simple.model.Role;
import org.ringmaster.crm.simple.policy.Action;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WireTest {
    static NodeRecord record() {
        return new NodeRecord("n2", true, 7,
                new TreeMap<>(Map.of("web", LocalState.STARTED, "db", LocalState.failed("monitor", 1000, 7, false, false),
                        "ip", new LocalState(Role.PROMOTED, false, false, false, true, "", 0, 0))),
                new TreeMap<>(Map.of("db", 3, "ip", 1)), new TreeMap<>(Map.of("db", 1_764_000_000_123L)),
                new TreeSet<>(Set.of("web", "db", "ip")), new TreeSet<>(Set.of("db")));
    }

    static List<CrmMessage> samples() {
        ConfigDocument cfg = new ConfigDocument(4, 2, "native", "resources {\n  \u00e9t\u00e9 \n}",
                new TreeMap<>(Map.of("loc:cli-prefer-web", "web n1 INFINITY")));
        return List.of(
                new CrmMessage.Sync(12, cfg, List.of(record(), NodeRecord.fresh("n3", false)), 9),
                new CrmMessage.NodeUpdate(3, 1, CrmMessage.NodeUpdate.DONE, record()),
                new CrmMessage.Plan(5, List.of(new Action(0, "fence", null, "n3", 0, List.of()),
                        new Action(1, "start", "web", "n1", 0, List.of(0)),
                        new Action(2, "monitor", "web", "n1", 10_000, List.of(0, 1)))),
                new CrmMessage.Exec(5, 2),
                new CrmMessage.Fenced(5, 0, "n3", true, "#1 reboot n3: SUCCEEDED"),
                new CrmMessage.ActionTimeout(5, 1),
                new CrmMessage.ExpireFailure("n2", "db", 1_764_000_000_123L),
                new CrmMessage.Command(77, List.of("config", "load", "native", "x".repeat(70_000))));
    }

    @Test
    void everyMessageRoundTrips() {
        for (CrmMessage m : samples()) {
            byte[] b = Wire.encode(m);
            assertThat(Wire.decode(b, 0, b.length)).as(m.getClass().getSimpleName()).isEqualTo(m);
        }
    }

    @Test
    void decodesAtAnOffset() {
        byte[] b = Wire.encode(new CrmMessage.Exec(1, 2));
        byte[] padded = new byte[b.length + 10];
        System.arraycopy(b, 0, padded, 5, b.length);
        assertThat(Wire.decode(padded, 5, b.length)).isEqualTo(new CrmMessage.Exec(1, 2));
    }

    @Test
    void malformedInputIsRejectedWithAReason() {
        assertThatThrownBy(() -> Wire.decode(new byte[] {1, 1, 1}, 0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("magic");
        assertThatThrownBy(() -> Wire.decode(new byte[] {0x52, 9, 1}, 0, 3)).hasMessageContaining("version 9");
        assertThatThrownBy(() -> Wire.decode(new byte[] {0x52, 1, 99}, 0, 3)).hasMessageContaining("type 99");
        byte[] ok = Wire.encode(new CrmMessage.Exec(1, 2));
        assertThatThrownBy(() -> Wire.decode(ok, 0, ok.length - 1)).hasMessageContaining("truncated");
        byte[] longer = Arrays.copyOf(ok, ok.length + 1);
        assertThatThrownBy(() -> Wire.decode(longer, 0, longer.length)).hasMessageContaining("trailing");
        // a plan whose action waits for a later action is refused
        byte[] plan = Wire.encode(new CrmMessage.Plan(1, List.of(new Action(0, "stop", "a", "n1", 0, List.of()),
                new Action(1, "start", "a", "n2", 0, List.of(0)))));
        byte[] bad = plan.clone();
        bad[bad.length - 1] = 1; // action 1 now waits for itself
        assertThatThrownBy(() -> Wire.decode(bad, 0, bad.length)).hasMessageContaining("waits for action 1");
    }

    @Test
    void randomGarbageNeverEscapesAsAnythingButIllegalArgument() {
        Random r = new Random(5);
        for (CrmMessage m : samples()) {
            byte[] b = Wire.encode(m);
            for (int i = 0; i < 300; i++) {
                byte[] x = b.clone();
                x[2 + r.nextInt(x.length - 2)] = (byte) r.nextInt(256);
                try {
                    Wire.decode(x, 0, x.length);
                } catch (IllegalArgumentException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
        }
    }

    @Test
    void failureTimesTravelWithTheirFailCounts() {
        byte[] b = Wire.encode(new CrmMessage.NodeUpdate(1, 0, CrmMessage.NodeUpdate.NONE, record()));
        NodeRecord r = ((CrmMessage.NodeUpdate) Wire.decode(b, 0, b.length)).record();
        assertThat(r.failCount("db")).isEqualTo(3);
        assertThat(r.failTime("db")).isEqualTo(1_764_000_000_123L);
        assertThat(r.failCount("ip")).isEqualTo(1);
        assertThat(r.failTime("ip")).as("no time known").isZero();
        // clearing a fail-count clears its time; setting one records it
        assertThat(r.withFailCount("db", 0).failTimes()).isEmpty();
        assertThat(r.withFailCount("ip", 2, 5_000L).failTime("ip")).isEqualTo(5_000L);
    }

    @Test
    void stateWrittenInVersionOneStillLoadsWithoutFailureTimes() {
        ConfigDocument cfg = new ConfigDocument(4, 2, "native", "text", new TreeMap<>());
        byte[] v1 = Wire.encode(new CrmMessage.Sync(0, cfg, List.of(record()), 9), 1);
        assertThat(v1[1]).isEqualTo((byte) 1);
        CrmMessage.Sync s = Wire.decodeState(v1);
        NodeRecord r = s.records().get(0);
        assertThat(r.failCounts()).isEqualTo(record().failCounts());
        assertThat(r.failTimes()).isEmpty();
        assertThat(r.resources()).isEqualTo(record().resources());
        assertThat(s.nextTransitionId()).isEqualTo(9);
        assertThatThrownBy(() -> Wire.encode(new CrmMessage.ExpireFailure("n1", "a", 1), 1))
                .hasMessageContaining("version 1");
        // a version-1 reader's message type 8 does not exist
        byte[] x = Wire.encode(new CrmMessage.ExpireFailure("n1", "a", 1));
        x[1] = 1;
        assertThatThrownBy(() -> Wire.decode(x, 0, x.length)).hasMessageContaining("type 8 in version 1");
    }
}
