package org.ringmaster.crm.simple.run;

/** Native configuration texts for the simulations. */
final class Configs {
    private Configs() {
    }

    static String nodelist(int n) {
        StringBuilder b = new StringBuilder("nodelist {\n");
        for (int i = 1; i <= n; i++) {
            b.append("  node {\n    name: n").append(i).append("\n    nodeid: ").append(i).append("\n  }\n");
        }
        return b.append("}\n").toString();
    }

    /** {@code nodes} nodes, options, then the given resource sections. */
    static String of(int nodes, boolean fencing, String noQuorumPolicy, String body) {
        return nodelist(nodes) + "resources {\n  options {\n    fencing-enabled: " + fencing
                + "\n    no-quorum-policy: " + noQuorumPolicy + "\n  }\n" + body + "}\n";
    }

    static String dummy(String id, String... meta) {
        StringBuilder b = new StringBuilder("  primitive {\n    id: " + id + "\n    agent: ocf:pacemaker:Dummy\n"
                + "    op: monitor interval=1s\n");
        for (String m : meta) {
            b.append("    meta: ").append(m).append('\n');
        }
        return b.append("  }\n").toString();
    }

    static String location(String rsc, String node, int score) {
        return "  location {\n    rsc: " + rsc + "\n    node: " + node + "\n    score: " + score + "\n  }\n";
    }

    /**
     * A CIB of nodes n1-n3 and the Dummy resource {@code web} monitored every second, with these
     * cluster options ({@code nvpair} elements) and constraints.
     */
    static String cibWithWeb(String options, String constraints) {
        return """
                <cib epoch="1" num_updates="0" admin_epoch="0">
                  <configuration>
                    <crm_config>
                      <cluster_property_set id="opts">
                %s
                      </cluster_property_set>
                    </crm_config>
                    <nodes>
                      <node id="1" uname="n1"/>
                      <node id="2" uname="n2"/>
                      <node id="3" uname="n3"/>
                    </nodes>
                    <resources>
                      <primitive id="web" class="ocf" provider="pacemaker" type="Dummy">
                        <operations>
                          <op id="web-monitor" name="monitor" interval="1s"/>
                        </operations>
                      </primitive>
                    </resources>
                    <constraints>
                %s
                    </constraints>
                  </configuration>
                  <status/>
                </cib>
                """.formatted(options, constraints);
    }
}
