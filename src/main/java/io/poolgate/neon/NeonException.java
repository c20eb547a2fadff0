package io.poolgate.neon;

/** A request Neon's format cannot take (malformed body, bad header, no credentials): its status and why. */
final class NeonException extends RuntimeException {

    private final int status;

    NeonException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static NeonException badRequest(String message) {
        return new NeonException(400, message);
    }

    int status() {
        return status;
    }
}
