/**
 * Running helper programs (fence agents, alert programs) in their own process group with a timeout and bounded
 * output capture. Internal to the fencing module; not a public API.
 */
package org.ringmaster.fencing.process;
