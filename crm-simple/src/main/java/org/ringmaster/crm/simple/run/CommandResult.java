package org.ringmaster.crm.simple.run;

/**
 * What a command answers: an exit code for ringctl (0 ok, 1 refused or failed, 2 usage, 3 not confirmed in
 * time) and text for the user.
 */
public record CommandResult(int exitCode, String text) {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int TIMED_OUT = 3;

    static CommandResult ok(String text) {
        return new CommandResult(OK, text);
    }

    static CommandResult failed(String text) {
        return new CommandResult(FAILED, text);
    }

    static CommandResult usage(String text) {
        return new CommandResult(USAGE, text);
    }
}
