package io.poolgate.session;

/** A request about a session lease that cannot be served; {@link #kind()} says why. */
public final class SessionException extends RuntimeException {

    /** Why a session request failed. */
    public enum Kind {
        /** No lease with that id was ever seen (or its record has been forgotten). */
        UNKNOWN,
        /** The lease was released or reclaimed; the message says when and why. */
        ENDED,
        /** Another request on the lease is still running. */
        BUSY,
        /** The pool already pins as many connections to sessions as it allows. */
        LIMIT,
        /** The lease belongs to a pool of the other kind (SQL sent to a Redis lease or the reverse). */
        WRONG_KIND
    }

    private final Kind kind;
    private final String session;

    SessionException(Kind kind, String session, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.session = session;
    }

    public Kind kind() {
        return kind;
    }

    public String session() {
        return session;
    }
}
