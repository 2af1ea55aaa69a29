package org.ringmaster.crm.simple.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.crm.simple.model.Configuration;
import org.ringmaster.crm.simple.model.Group;
import org.ringmaster.crm.simple.model.Primitive;
import org.ringmaster.crm.simple.policy.PolicyEngine;
import org.ringmaster.crm.simple.policy.Transition;
import org.ringmaster.crm.simple.status.ClusterStatus;
import org.ringmaster.crm.simple.status.NodeStatus;
import org.ringmaster.crm.simple.status.ResourceState;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HaresourcesReaderTest {
    @TempDir
    Path dir;

    private ScriptLocator scripts() throws Exception {
        Path rd = Files.createDirectories(dir.resolve("resource.d"));
        Path init = Files.createDirectories(dir.resolve("init.d"));
        for (String s : List.of("IPaddr", "Filesystem", "drbddisk")) {
            Files.writeString(rd.resolve(s), "#!/bin/sh\n");
        }
        for (String s : List.of("httpd", "smb", "IPaddr")) {
            Files.writeString(init.resolve(s), "#!/bin/sh\n");
        }
        return ScriptLocator.directories(rd, init);
    }

    static final String FILE = """
            # web service
            node1 IPaddr::192.168.1.222/24/eth0 Filesystem::192.168.1.127:/web/htdocs::/var/www/html::nfs httpd
            alice drbddisk::r0 \\
                  Filesystem::/dev/drbd0::/local/groups::ext3 10.0.0.1 smb
            """;

    @Test
    void eachLineIsAGroupOnItsPreferredNode() throws Exception {
        Configuration c = HaresourcesReader.read(FILE, "haresources", List.of("node1", "Alice"), "on", scripts());
        assertThat(c.resources()).hasSize(2);
        Group web = (Group) c.resources().get(0);
        assertThat(web.members()).extracting(Primitive::type).containsExactly("IPaddr", "Filesystem", "httpd");
        assertThat(web.members()).extracting(Primitive::agentClass).containsExactly("heartbeat", "heartbeat", "lsb");
        assertThat(web.members().get(1).params()).containsEntry("1", "192.168.1.127:/web/htdocs")
                .containsEntry("2", "/var/www/html").containsEntry("3", "nfs");
        Group smb = (Group) c.resources().get(1);
        assertThat(smb.members()).extracting(Primitive::type)
                .containsExactly("drbddisk", "Filesystem", "IPaddr", "smb");
        assertThat(smb.members().get(2).params()).containsEntry("1", "10.0.0.1");
        assertThat(c.locations()).extracting(l -> l.node()).containsExactly("node1", "alice");
    }

    @Test
    void placedOnThePreferredNodeAndFailsOverAndBackWithAutoFailback() throws Exception {
        ScriptLocator s = scripts();
        Configuration on = HaresourcesReader.read(FILE, "haresources", List.of("node1", "alice"), "on", s);
        Transition t = PolicyEngine.decide(on, ClusterStatus.allOnline(List.of("node1", "alice")));
        assertThat(t.placement("httpd").orElseThrow().node()).isEqualTo("node1");
        assertThat(t.placement("smb").orElseThrow().node()).isEqualTo("alice");

        ClusterStatus node1Down = ClusterStatus.allOnline(List.of("node1", "alice"))
                .with(new NodeStatus("node1", true, false, false, "down", true, java.util.Map.of()));
        t = PolicyEngine.decide(on, node1Down);
        assertThat(t.placement("httpd").orElseThrow().node()).isEqualTo("alice");

        // node1 back, the web group runs on alice: auto_failback on moves it home, off keeps it
        ClusterStatus back = ClusterStatus.allOnline(List.of("node1", "alice"));
        for (Primitive p : ((Group) on.resources().get(0)).members()) {
            back = back.with(new ResourceState(p.id(), "alice", org.ringmaster.crm.simple.model.Role.STARTED, false,
                    false, false, false, null));
        }
        assertThat(PolicyEngine.decide(on, back).placement("httpd").orElseThrow().node()).isEqualTo("node1");
        Configuration off = HaresourcesReader.read(FILE, "haresources", List.of("node1", "alice"), "off", s);
        assertThat(PolicyEngine.decide(off, back).placement("httpd").orElseThrow().node()).isEqualTo("alice");
    }

    @Test
    void errorsNameTheLine() throws Exception {
        ScriptLocator s = scripts();
        assertThatThrownBy(() -> HaresourcesReader.read("node1 httpd\nbob httpd\n", "haresources",
                List.of("node1"), "on", s)).isInstanceOf(HaresourcesException.class)
                .hasMessageContaining("haresources:2").hasMessageContaining("bob");
        assertThatThrownBy(() -> HaresourcesReader.read("\n\nnode1 nosuchscript::x\n", "haresources",
                List.of("node1"), "on", s)).isInstanceOf(HaresourcesException.class)
                .hasMessageContaining("haresources:3").hasMessageContaining("nosuchscript");
        assertThatThrownBy(() -> HaresourcesReader.read("node1\n", "haresources", List.of("node1"), "on", s))
                .hasMessageContaining("haresources:1").hasMessageContaining("no resources");
        assertThatThrownBy(() -> HaresourcesReader.read("node1 httpd\n", "haresources", List.of("node1"), "maybe", s))
                .hasMessageContaining("auto_failback");
    }

    @Test
    void sameScriptTwiceGetsDistinctIds() throws Exception {
        Configuration c = HaresourcesReader.read("node1 10.0.0.1 10.0.0.1 httpd\nnode1 httpd\n", "h",
                List.of("node1"), "on", scripts());
        assertThat(c.resourcesById().keySet()).contains("IPaddr_10.0.0.1", "IPaddr_10.0.0.1_2", "httpd", "httpd_2");
    }
}
