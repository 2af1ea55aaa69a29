package org.ringmaster.crm.simple.model;

/** A configured operation (name, interval in ms, optional role and on-fail). */
public record Operation(String name, long intervalMs, Role role, String onFail) {
}
