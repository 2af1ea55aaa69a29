package org.ringmaster.membership.sim;

import java.util.Arrays;

import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.totem.Guarantee;

/** One thing a simulated node did, in its own order: a configuration change, a delivery, a crash. */
public record EvsEvent(Type type, long atNs, ConfigurationChange change, int sender, long counter, Guarantee guarantee)
{
    public enum Type
    {
        CONFIGURATION,
        DELIVERY,
        CRASH
    }

    static EvsEvent configuration(final long atNs, final ConfigurationChange change)
    {
        return new EvsEvent(Type.CONFIGURATION, atNs, change, 0, 0, null);
    }

    static EvsEvent delivery(final long atNs, final int sender, final long counter, final Guarantee guarantee)
    {
        return new EvsEvent(Type.DELIVERY, atNs, null, sender, counter, guarantee);
    }

    static EvsEvent crash(final long atNs)
    {
        return new EvsEvent(Type.CRASH, atNs, null, 0, 0, null);
    }

    /** The key a configuration is known by: kind, ring id, and (transitional) members. */
    static String key(final ConfigurationChange c)
    {
        return c.kind() + ":" + c.ringSeq() + "/" + c.rep() +
            (c.isRegular() ? "" : ":" + Arrays.toString(c.members()));
    }

    long messageId()
    {
        return ((long)sender << 40) | counter;
    }

    @Override
    public String toString()
    {
        return switch (type)
        {
            case CONFIGURATION -> "@" + atNs + " " + change;
            case DELIVERY -> "@" + atNs + " deliver " + sender + "#" + counter + " " + guarantee;
            case CRASH -> "@" + atNs + " crash";
        };
    }
}
