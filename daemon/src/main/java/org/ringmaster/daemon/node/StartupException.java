package org.ringmaster.daemon.node;

/**
 * The daemon cannot start with this configuration or environment (a setting the ring cannot use,
 * a missing authkey, a socket already in use). The message names the key or file and what to do.
 */
public class StartupException extends Exception {

    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
