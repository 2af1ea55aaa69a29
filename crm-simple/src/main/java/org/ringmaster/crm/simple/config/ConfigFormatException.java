package org.ringmaster.crm.simple.config;

/** A broken native configuration; the message names the file, line and key. */
public final class ConfigFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigFormatException(String message) {
        super(message);
    }
}
