package org.ringmaster.agents;

import org.ringmaster.crm.api.resource.ResourceAgentId;

/** Where the executor gets agents from: normally the {@link AgentCatalog}; tests may supply their own. */
@FunctionalInterface
public interface AgentSource {

    /**
     * The agent for an id.
     *
     * @throws AgentException when there is no such agent; the message names the id
     */
    ResourceAgent resolve(ResourceAgentId id) throws AgentException;
}
