package org.ringmaster.fencing.sbd;

/** What a slot of the poison-pill disk says to its node. Stable codes are on disk; never renumber. */
public enum SlotMessage {
    /** Nothing to do. */
    CLEAR(0),
    /** Liveness test: the node logs it and does nothing. */
    TEST(1),
    /** Poison pill: reboot now. */
    RESET(2),
    /** Poison pill: power off now. */
    OFF(3);

    private final int code;

    SlotMessage(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** True for the messages that make the node self-fence. */
    public boolean isPill() {
        return this == RESET || this == OFF;
    }

    /** The message for {@code code}, or {@code null} when unknown (a corrupt slot, never a pill). */
    static SlotMessage fromCode(int code) {
        for (SlotMessage m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        return null;
    }
}
