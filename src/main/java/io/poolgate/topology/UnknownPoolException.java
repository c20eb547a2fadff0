package io.poolgate.topology;

import java.util.Collection;

/** A request named a pool (or a node of a pool) that is not configured, or a pool of the wrong kind. */
public final class UnknownPoolException extends RuntimeException {

    private final String pool;
    private final boolean wrongKind;

    private UnknownPoolException(String pool, String message, boolean wrongKind) {
        super(message, null, false, false);
        this.pool = pool;
        this.wrongKind = wrongKind;
    }

    static UnknownPoolException notConfigured(String pool, Collection<String> known) {
        return new UnknownPoolException(pool,
                "no pool named '" + pool + "' (configured pools: " + String.join(", ", known) + ")", false);
    }

    static UnknownPoolException wrongKind(String pool, String kind, String wanted) {
        return new UnknownPoolException(pool,
                "pool '" + pool + "' is a " + kind + " pool; this endpoint needs a " + wanted + " pool", true);
    }

    static UnknownPoolException unknownNode(String pool, String node, Collection<String> known) {
        return new UnknownPoolException(pool, "pool '" + pool + "' has no node named '" + node + "' (its nodes: "
                + String.join(", ", known) + ")", false);
    }

    public String pool() {
        return pool;
    }

    /** True when the pool exists but speaks the other protocol (SQL sent to Redis or the reverse). */
    public boolean wrongKind() {
        return wrongKind;
    }
}
