package org.ringmaster.crm.api.resource;

/**
 * The OCF return codes (OCF resource agent API 1.1) as the CRM sees them. Agents of every class are mapped
 * onto these; a code not listed here is passed through unchanged and treated as a soft failure.
 */
public enum OcfExitCode {
    SUCCESS(0),
    ERR_GENERIC(1),
    ERR_ARGS(2),
    ERR_UNIMPLEMENTED(3),
    ERR_PERM(4),
    ERR_INSTALLED(5),
    ERR_CONFIGURED(6),
    NOT_RUNNING(7),
    RUNNING_PROMOTED(8),
    FAILED_PROMOTED(9),
    DEGRADED(190),
    DEGRADED_PROMOTED(191);

    private final int code;

    OcfExitCode(int code) {
        this.code = code;
    }

    /** The numeric exit code. */
    public int code() {
        return code;
    }

    /**
     * The constant for a numeric code.
     *
     * @return the constant, or {@code null} when the code is not a defined OCF code
     */
    public static OcfExitCode of(int code) {
        for (OcfExitCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }

    /** {@code "7 (NOT_RUNNING)"}, or {@code "42 (unknown)"} for codes outside the OCF set. */
    public static String describe(int code) {
        OcfExitCode c = of(code);
        return code + " (" + (c == null ? "unknown" : c.name()) + ")";
    }
}
