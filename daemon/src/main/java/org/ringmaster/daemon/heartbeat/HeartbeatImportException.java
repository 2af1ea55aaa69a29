package org.ringmaster.daemon.heartbeat;

/** A heartbeat file that cannot be translated; the message starts with {@code file:line:}. */
public final class HeartbeatImportException extends Exception {

    private static final long serialVersionUID = 1L;

    public HeartbeatImportException(String message) {
        super(message);
    }
}
