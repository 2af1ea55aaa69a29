package org.ringmaster.crm.api.fencing;

/** How a fencing operation ended. Stable codes travel on the wire; never renumber. */
public enum FenceStatus {
    /** The target was fenced (for {@link FenceAction#ON}: powered on); its resources may be recovered. */
    SUCCEEDED(0),
    /** Every fencing level was tried and none succeeded, or the operation timed out. The target is in an
     * unknown state: its resources must not be recovered. */
    FAILED(1),
    /** The request was not attempted, e.g. from a partition without quorum or with no device able to fence
     * the target. The target is in an unknown state. */
    REFUSED(2);

    private final int code;

    FenceStatus(int code) {
        this.code = code;
    }

    /** Stable wire code. */
    public int code() {
        return code;
    }

    /** @throws IllegalArgumentException for an unknown code */
    public static FenceStatus fromCode(int code) {
        for (FenceStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown fence status code " + code);
    }
}
