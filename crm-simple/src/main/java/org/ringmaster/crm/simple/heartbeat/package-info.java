/** Reader for heartbeat v1 {@code haresources} files. */
package org.ringmaster.crm.simple.heartbeat;
