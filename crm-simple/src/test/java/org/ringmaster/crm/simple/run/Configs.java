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
}
