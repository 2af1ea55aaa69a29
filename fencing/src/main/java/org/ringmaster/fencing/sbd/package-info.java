/**
 * Built-in poison-pill fencing on a shared disk (SBD style): one checksummed, sector-aligned slot per node
 * ({@link org.ringmaster.fencing.sbd.PoisonPillDisk}); the fencer writes RESET/OFF into the target's slot and waits
 * msgwait ({@link org.ringmaster.fencing.sbd.PoisonPillDeviceRunner}); every node watches its own slot and its disk
 * access and feeds a {@link org.ringmaster.fencing.sbd.Watchdog} only while healthy ({@link
 * org.ringmaster.fencing.sbd.PillWatcher}).
 *
 * <p>No implementation over {@code /dev/watchdog} is provided here: arming the machine's watchdog from tests would
 * reboot it. {@link org.ringmaster.fencing.sbd.SimulatedWatchdog} records when a real one would have fired.
 */
package org.ringmaster.fencing.sbd;
