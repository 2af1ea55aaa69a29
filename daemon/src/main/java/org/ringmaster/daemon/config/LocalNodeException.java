package org.ringmaster.daemon.config;

/** The local node cannot be determined (none or several match, or a bad {@code --node}). */
public class LocalNodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public LocalNodeException(String message) {
        super(message);
    }
}
