package org.ringmaster.crm.simple.heartbeat;

/** A haresources line that cannot be used; the message names the file and line. */
public final class HaresourcesException extends Exception {
    private static final long serialVersionUID = 1L;

    public HaresourcesException(String message) {
        super(message);
    }
}
