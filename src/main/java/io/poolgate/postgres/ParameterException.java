package io.poolgate.postgres;

/** A statement parameter cannot be turned into the type PostgreSQL expects for it (a client error). */
public final class ParameterException extends RuntimeException {

    ParameterException(String message) {
        super(message, null, false, false);
    }
}
