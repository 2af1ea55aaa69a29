/** Reader for the native {@code resources {}} section of ringmaster.conf (corosync syntax). */
package org.ringmaster.crm.simple.config;
