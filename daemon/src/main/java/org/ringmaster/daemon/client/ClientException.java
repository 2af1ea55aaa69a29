package org.ringmaster.daemon.client;

import java.io.IOException;

/** The daemon refused a request or the connection, or cannot be reached; the message says which. */
public class ClientException extends IOException {

    private static final long serialVersionUID = 1L;

    public ClientException(String message) {
        super(message);
    }

    public ClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
