package org.ringmaster.membership;

import org.agrona.DirectBuffer;
import org.ringmaster.totem.Guarantee;

/**
 * Receives the totally ordered stream of an EVS channel: messages and configuration changes, on the
 * channel's single agent thread, in one order that every member of a configuration shares. Buffers
 * are valid only during the call.
 */
public interface EvsListener
{
    void onMessage(int sender, Guarantee guarantee, DirectBuffer buffer, int offset, int length);

    void onConfigurationChange(ConfigurationChange change);
}
