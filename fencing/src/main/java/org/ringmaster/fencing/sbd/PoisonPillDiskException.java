package org.ringmaster.fencing.sbd;

/** The poison-pill disk cannot be created, opened or used; the message names the disk (and slot, if any). */
public class PoisonPillDiskException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PoisonPillDiskException(String message) {
        super(message);
    }

    public PoisonPillDiskException(String message, Throwable cause) {
        super(message, cause);
    }
}
