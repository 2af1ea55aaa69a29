package org.ringmaster.fencing;

import java.util.List;
import java.util.Objects;
import org.ringmaster.crm.api.fencing.FenceAction;
import org.ringmaster.crm.api.fencing.FenceStatus;

/** What fencers multicast to each other on the ordered channel. Encoded by {@link FenceMessageCodec}. */
public sealed interface FenceMessage {

    /**
     * A node asks for a target to be fenced.
     *
     * @param requestId random id chosen by the origin; becomes the operation id unless the request joins one
     */
    record Request(long requestId, String origin, String target, FenceAction action, String reason)
        implements FenceMessage {
        public Request {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The executor reports how an operation ended, with every device attempt. */
    record Result(long operationId, String target, FenceAction action, FenceStatus status, String origin,
                  String executor, String device, String detail, long completedAtMillis,
                  List<FenceAttempt> attempts) implements FenceMessage {
        public Result {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(executor, "executor");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(detail, "detail");
            attempts = List.copyOf(attempts);
        }
    }

    /**
     * An admin confirms that {@code target} is really off (manual fencing, {@code ringctl fence confirm}). Ends the
     * target's active operation as succeeded, or records a successful manual fencing when none is active.
     */
    record Confirm(long confirmId, String origin, String target, long atMillis) implements FenceMessage {
        public Confirm {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(target, "target");
        }
    }
}
