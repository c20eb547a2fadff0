package io.poolgate.pool;

/** The backend did not finish a connect, validation or reset within its bound. */
public final class BackendTimeoutException extends RuntimeException {

    BackendTimeoutException(String message) {
        super(message, null, false, false);
    }
}
