/** Reader for Pacemaker CIB XML (configuration and status sections), using only the JDK's parser. */
package org.ringmaster.crm.simple.cib;
