package io.poolgate.upstash;

/** A request the Upstash format cannot take (malformed body, bad header, no token): its status and why. */
final class UpstashException extends RuntimeException {

    private final int status;

    UpstashException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static UpstashException badRequest(String message) {
        return new UpstashException(400, message);
    }

    int status() {
        return status;
    }
}
