package org.ringmaster.crm.api;

/**
 * A cluster resource manager: decides what runs where and makes it so, on top of the ring.
 *
 * <p>Threading: the host calls {@link #start}, {@link #doWork} and {@link #close} from one agent
 * thread, and delivers the ordered channel's messages and configuration changes on that same
 * thread; a CRM needs no locks for its own state. {@code doWork} must not block: long work (agent
 * operations, fencing) is asynchronous through the services in {@link CrmContext}, whose callbacks
 * may come from other threads and should be handed back to the agent thread (e.g. through a queue
 * drained in doWork).
 */
public interface ClusterResourceManager extends AutoCloseable
{
    /** Called once before the host starts the ring; register the channel listener here. */
    void start(CrmContext context);

    /**
     * One duty cycle with the current time from the host's clock.
     *
     * @return the amount of work done; 0 means idle.
     */
    int doWork(long nowNs);

    /** Stop: no more callbacks follow. Resources are left as they are (the host decides on shutdown). */
    @Override
    void close();
}
