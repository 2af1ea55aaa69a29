package org.ringmaster.crm.api;

/**
 * The ServiceLoader entry of a CRM ({@code META-INF/services/org.ringmaster.crm.api.CrmPlugin}),
 * chosen by name in the configuration: {@code crm { plugin: simple }}.
 */
public interface CrmPlugin
{
    /** The name the configuration uses; lower case, stable. */
    String name();

    /** A new, unstarted CRM. */
    ClusterResourceManager create();
}
