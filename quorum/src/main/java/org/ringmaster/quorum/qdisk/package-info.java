/**
 * Quorum disk after RHCS qdiskd: {@link org.ringmaster.quorum.qdisk.QuorumDisk} on a shared file or block
 * device ({@link org.ringmaster.quorum.qdisk.FileDiskIo}), slots with checksums, master election,
 * heuristics run as processes ({@link org.ringmaster.quorum.qdisk.ProcessHeuristicRunner}).
 */
package org.ringmaster.quorum.qdisk;
