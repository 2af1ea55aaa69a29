/**
 * {@code ringctl crm simulate}: {@link org.ringmaster.crm.simple.simulate.CrmSimulateCommand} runs the
 * engine offline and prints the normalised placement ({@link
 * org.ringmaster.crm.simple.simulate.PlacementListing}).
 */
package org.ringmaster.crm.simple.simulate;
