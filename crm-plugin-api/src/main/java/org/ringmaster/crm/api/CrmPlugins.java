package org.ringmaster.crm.api;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds CRM plugins on the class path by name. */
public final class CrmPlugins
{
    private CrmPlugins()
    {
    }

    /** Names of every plugin found, sorted. */
    public static List<String> available(final ClassLoader loader)
    {
        final List<String> names = new ArrayList<>();
        ServiceLoader.load(CrmPlugin.class, loader).forEach(p -> names.add(p.name()));
        names.sort(String::compareTo);
        return names;
    }

    /**
     * The plugin called {@code name}.
     *
     * @throws IllegalArgumentException naming the available plugins if there is none by that name.
     */
    public static CrmPlugin find(final String name, final ClassLoader loader)
    {
        for (final CrmPlugin plugin : ServiceLoader.load(CrmPlugin.class, loader))
        {
            if (plugin.name().equals(name))
            {
                return plugin;
            }
        }
        throw new IllegalArgumentException("crm.plugin = " + name + ": no such CRM plugin; available: " + available(loader));
    }
}
