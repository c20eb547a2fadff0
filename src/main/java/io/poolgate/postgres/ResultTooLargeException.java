package io.poolgate.postgres;

/** A result went past {@code max-rows} or {@code max-response-bytes}; nothing of it is returned. */
public final class ResultTooLargeException extends RuntimeException {

    ResultTooLargeException(String message) {
        super(message, null, false, false);
    }
}
