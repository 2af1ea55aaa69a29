package org.ringmaster.crm.simple.model;

/**
 * A rule expression {@code attribute operation value [type]}. Operations: lt gt lte gte eq ne
 * defined not_defined. Type string|integer|number|version, or null for "guess from the value".
 */
public record Expression(String attribute, String operation, String value, String type) {
}
