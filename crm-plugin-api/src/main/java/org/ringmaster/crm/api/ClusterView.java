package org.ringmaster.crm.api;

import java.util.Map;

/**
 * What the host knows of the cluster, as of the last configuration change and quorum event. Read
 * on the CRM's agent thread; values change only between duty cycles.
 */
public interface ClusterView
{
    /** This node's id. */
    int localNodeId();

    /** Members of the current regular configuration, ascending; never null. */
    int[] members();

    /** Whether this node's partition has quorum (always true where no quorum is configured). */
    boolean isQuorate();

    /** The configured name of a node (nodelist name), or its id as text; never null. */
    String nodeName(int nodeId);

    /** Node attributes known for {@code nodeId} (e.g. a ping score); never null, may be empty. */
    Map<String, String> attributes(int nodeId);
}
