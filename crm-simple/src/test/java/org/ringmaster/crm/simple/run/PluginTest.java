package org.ringmaster.crm.simple.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.crm.api.ClusterResourceManager;
import org.ringmaster.crm.api.CrmPlugins;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PluginTest {
    @TempDir
    Path dir;

    @Test
    void bothPluginsAreFoundByName() {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(CrmPlugins.available(loader)).contains("echo", "simple");
        assertThat(CrmPlugins.find("simple", loader).create()).isInstanceOf(SimpleCrm.class);
        assertThat(CrmPlugins.find("echo", loader).create()).isInstanceOf(EchoCrmPlugin.Echo.class);
        assertThatThrownBy(() -> CrmPlugins.find("pacemaker", loader)).hasMessageContaining("echo")
                .hasMessageContaining("simple");
    }

    @Test
    void theSecondCrmRunsOnTheSameServices() throws Exception {
        // The simulated cluster hosts the simple CRM; here its node services host echo CRMs instead.
        try (SimCluster c = new SimCluster(1, 2, Configs.of(2, false, "stop", ""), false, dir.resolve("sim"))) {
            ClusterResourceManager[] echo = new ClusterResourceManager[3];
            for (int i = 1; i <= 2; i++) {
                c.nodes[i].crm.close();
                echo[i] = CrmPlugins.find("echo", getClass().getClassLoader()).create();
                echo[i].start(c.nodes[i]);
            }
            // replace the simple CRMs' turn in the loop by the echo CRMs: a partition and heal re-greets
            c.partition(new int[] {1}, new int[] {2});
            c.heal();
            for (int step = 0; step < 20; step++) {
                for (int i = 1; i <= 2; i++) {
                    echo[i].doWork(0);
                }
                c.step();
            }
            for (int i = 1; i <= 2; i++) {
                assertThat(((EchoCrmPlugin.Echo) echo[i]).heard).contains("hello from 1", "hello from 2");
                echo[i].close();
            }
        }
    }
}
