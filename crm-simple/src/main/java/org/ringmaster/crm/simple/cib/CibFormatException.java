package org.ringmaster.crm.simple.cib;

/** The CIB (or another configuration input) is malformed; the message names the element or line. */
public final class CibFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public CibFormatException(String message) {
        super(message);
    }

    public CibFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
