package io.poolgate.redis;

/** A read-scope request sent a command whose flags (COMMAND INFO) do not say readonly. */
public final class WriteRefusedException extends RuntimeException {

    private final String command;

    WriteRefusedException(String command) {
        super("Redis does not flag " + command + " readonly (COMMAND INFO); only readonly commands are allowed",
                null, false, false);
        this.command = command;
    }

    public String command() {
        return command;
    }
}
