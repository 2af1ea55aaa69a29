package org.ringmaster.fencing;

/** Told about every fencing result a node learns (e.g. to run the configured alert program). */
@FunctionalInterface
public interface FenceAlertSink {

    /** No alerts. */
    FenceAlertSink NONE = entry -> { };

    /** Called on the fencer's thread; must not block. */
    void onFenceEvent(FenceHistoryEntry entry);
}
