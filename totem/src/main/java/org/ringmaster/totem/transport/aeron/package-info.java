/**
 * {@code transport: aeron}: Totem datagrams over Aeron UDP streams with an embedded media driver
 * per node ({@link org.ringmaster.totem.transport.aeron.AeronTransport}, configured by
 * {@link org.ringmaster.totem.transport.aeron.AeronConfig}). Selected like {@code udpu}; wrap it in
 * {@link org.ringmaster.totem.security.SecureTransport} for authentication and encryption, as any
 * transport.
 */
package org.ringmaster.totem.transport.aeron;
