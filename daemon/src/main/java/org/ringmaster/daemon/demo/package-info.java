/** The local demo cluster behind {@code bin/ringmaster-demo}. */
package org.ringmaster.daemon.demo;
