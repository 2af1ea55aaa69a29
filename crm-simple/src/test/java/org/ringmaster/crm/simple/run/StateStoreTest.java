package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StateStoreTest {
    @TempDir
    Path dir;

    @Test
    void savesAndLoads() throws IOException {
        StateStore store = new StateStore(dir);
        assertThat(store.load()).isEmpty();
        ConfigDocument cfg = new ConfigDocument(3, 1, "native", "text", new TreeMap<>(Map.of("node:n1:standby", "on")));
        store.save(cfg, List.of(WireTest.record()), 42);
        var loaded = store.load().orElseThrow();
        assertThat(loaded.config()).isEqualTo(cfg);
        assertThat(loaded.records()).containsExactly(WireTest.record());
        assertThat(loaded.nextTransitionId()).isEqualTo(42);
        assertThat(dir.resolve(StateStore.FILE + ".tmp")).doesNotExist();
    }

    @Test
    void anUnreadableFileIsMovedAsideAndTheNodeStartsEmpty() throws IOException {
        Files.write(dir.resolve(StateStore.FILE), new byte[] {0x52, 1, 1, 0, 0});
        assertThat(new StateStore(dir).load()).isEmpty();
        assertThat(dir.resolve(StateStore.FILE)).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith(StateStore.FILE + ".corrupt-"));
        }
    }

    @Test
    void aFailedWriteNamesTheFileAndKeepsTheOldState() throws IOException {
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file where a directory should be");
        StateStore store = new StateStore(blocked.resolve("sub"));
        assertThatThrownBy(() -> store.save(ConfigDocument.EMPTY, List.of(), 1)).isInstanceOf(IOException.class)
                .hasMessageContaining(blocked.resolve("sub").resolve(StateStore.FILE).toString());
    }
}
