package org.ringmaster.crm.simple.run;

import org.ringmaster.crm.api.ClusterResourceManager;
import org.ringmaster.crm.api.CrmPlugin;

/** The {@code simple} CRM plugin: {@code crm { plugin: simple }}. */
public final class SimpleCrmPlugin implements CrmPlugin {
    /** The name configurations use. */
    public static final String NAME = "simple";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ClusterResourceManager create() {
        return new SimpleCrm();
    }
}
