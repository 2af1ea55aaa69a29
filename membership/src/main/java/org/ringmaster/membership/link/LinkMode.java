package org.ringmaster.membership.link;

import java.util.Locale;

/** How datagrams use the redundant links: corosync's {@code totem.link_mode}. */
public enum LinkMode
{
    /** Each datagram goes over one link: the highest-priority link that is up for that peer. */
    PASSIVE,
    /** Each datagram goes over every link that is up; the receiver drops the copies. */
    ACTIVE;

    /** Parse corosync.conf's spelling ({@code passive}, {@code active}), case-insensitive. */
    public static LinkMode parse(final String value)
    {
        if (value != null)
        {
            for (final LinkMode mode : values())
            {
                if (mode.name().equalsIgnoreCase(value.trim()))
                {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("totem.link_mode=" + value + " is not one of passive, active"
            + (value != null && "rr".equals(value.trim().toLowerCase(Locale.ROOT))
            ? " (knet's rr is not supported: use active)" : ""));
    }

    /** corosync.conf's spelling. */
    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
