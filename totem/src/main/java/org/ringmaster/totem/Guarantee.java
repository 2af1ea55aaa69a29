package org.ringmaster.totem;

/** Delivery guarantee chosen by the originator of a message (Totem SRP §4.2). */
public enum Guarantee
{
    /** Delivered in total order once every earlier message has been delivered. */
    AGREED,
    /** Additionally delivered only once every member of the ring is known to hold it. */
    SAFE
}
