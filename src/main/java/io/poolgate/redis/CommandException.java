package io.poolgate.redis;

/** A Redis command body is malformed or the command is not allowed here (a client error). */
public final class CommandException extends RuntimeException {

    public CommandException(String message) {
        super(message, null, false, false);
    }
}
