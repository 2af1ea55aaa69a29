package org.ringmaster.crm.simple.status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ringmaster.crm.simple.model.Role;

/**
 * Replays the operation history of one resource on one node (ordered by call-id) into its current
 * {@link ResourceState}.
 */
public final class OperationHistory {
    private static final int RC_OK = 0;
    private static final int RC_NOT_RUNNING = 7;
    private static final int RC_PROMOTED = 8;
    private static final int RC_FAILED_PROMOTED = 9;
    private static final int RC_NOT_INSTALLED = 5;

    private OperationHistory() {
    }

    /** Computes the state; pending operations (call-id -1) count last. */
    public static ResourceState replay(String resourceId, String node, List<OperationRecord> ops) {
        List<OperationRecord> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingLong((OperationRecord o) -> o.callId() < 0 ? Long.MAX_VALUE : o.callId())
                .thenComparingLong(OperationRecord::lastRcChange));
        Role role = Role.STOPPED;
        boolean failed = false;
        boolean stopFailed = false;
        boolean startFailed = false;
        boolean notInstalled = false;
        OperationRecord lastFailure = null;
        for (OperationRecord op : sorted) {
            boolean failedBefore = failed;
            if (op.opStatus() == 1) {
                continue; // cancelled: says nothing about the resource
            }
            boolean pending = op.opStatus() == -1 || op.callId() < 0;
            boolean ok = op.opStatus() == 0 && op.rc() == op.expected();
            switch (op.operation()) {
                case "start", "migrate_from" -> {
                    if (pending || (op.opStatus() == 0 && op.rc() == RC_OK)) {
                        role = Role.STARTED;
                        failed = false;
                    } else {
                        role = Role.STARTED;
                        failed = true;
                        if ("start".equals(op.operation())) {
                            startFailed = true;
                        }
                    }
                }
                case "stop" -> {
                    if (pending) {
                        continue;
                    }
                    if (op.opStatus() == 0 && op.rc() == RC_OK) {
                        role = Role.STOPPED;
                        failed = false;
                        stopFailed = false;
                    } else {
                        failed = true;
                        stopFailed = true;
                        if (role == Role.STOPPED) {
                            role = Role.STARTED;
                        }
                    }
                }
                case "promote" -> {
                    role = Role.PROMOTED;
                    failed = !pending && !ok;
                }
                case "demote" -> {
                    if (pending || ok) {
                        role = Role.UNPROMOTED;
                        failed = false;
                    } else {
                        failed = true;
                    }
                }
                case "monitor" -> {
                    if (pending) {
                        continue;
                    }
                    if (op.probe()) {
                        switch (op.rc()) {
                            case RC_NOT_RUNNING -> {
                                role = Role.STOPPED;
                                failed = false;
                            }
                            case RC_OK -> {
                                role = Role.STARTED;
                                failed = false;
                            }
                            case RC_PROMOTED -> {
                                role = Role.PROMOTED;
                                failed = false;
                            }
                            case RC_FAILED_PROMOTED -> {
                                role = Role.PROMOTED;
                                failed = true;
                            }
                            case RC_NOT_INSTALLED -> {
                                role = Role.STOPPED;
                                failed = false;
                                notInstalled = true;
                            }
                            default -> {
                                role = role == Role.STOPPED ? Role.STARTED : role;
                                failed = true;
                            }
                        }
                    } else if (ok) {
                        if (op.rc() == RC_PROMOTED) {
                            role = Role.PROMOTED;
                        } else if (role == Role.STOPPED) {
                            role = Role.STARTED;
                        }
                    } else if (op.opStatus() == 0 && op.rc() == RC_OK && role == Role.PROMOTED) {
                        role = Role.UNPROMOTED; // expected promoted, found running unpromoted
                        failed = true;
                    } else {
                        failed = true;
                        if (role == Role.STOPPED) {
                            role = Role.STARTED;
                        }
                    }
                }
                default -> {
                    // notify, reload, migrate_to, meta-data: they do not change where it runs
                }
            }
            if (failed && (!failedBefore || !(op.opStatus() == 0 && op.rc() == op.expected()))) {
                lastFailure = op;
            }
        }
        return new ResourceState(resourceId, node, role, failed, stopFailed, startFailed, notInstalled,
                failed ? lastFailure : null);
    }
}
