package io.poolgate.security;

/**
 * A request the gate turns away: 401 (no or bad credentials), 403 (a scope or pool the
 * credentials do not grant), 429 (a rate limit). It never carries the credential itself.
 */
public final class Refusal extends RuntimeException {

    /** Why a request was refused; the {@link #slug()} is the problem type's last segment. */
    public enum Reason {
        MISSING_CREDENTIALS(401, "missing-credentials", "Credentials required"),
        MALFORMED_CREDENTIALS(401, "malformed-credentials", "Malformed credentials"),
        UNKNOWN_KEY(401, "unknown-key", "Unknown key"),
        INVALID_TOKEN(401, "invalid-token", "Invalid token"),
        EXPIRED_TOKEN(401, "expired-token", "Expired token"),
        WRONG_AUDIENCE(401, "wrong-audience", "Token for another audience"),
        WRONG_ISSUER(401, "wrong-issuer", "Token from another issuer"),
        MISSING_SCOPE(403, "missing-scope", "Scope not granted"),
        MISSING_POOL(403, "missing-pool", "Pool not granted"),
        RATE_LIMITED(429, "rate-limited", "Rate limit exceeded"),
        TOO_MANY_FAILURES(429, "too-many-failed-authentications", "Too many failed authentications");

        private final int status;
        private final String slug;
        private final String title;

        Reason(int status, String slug, String title) {
            this.status = status;
            this.slug = slug;
            this.title = title;
        }

        public int status() {
            return status;
        }

        public String slug() {
            return slug;
        }

        public String title() {
            return title;
        }
    }

    private final Reason reason;
    private final String scope;
    private final String pool;
    private final long retryAfterSeconds;

    private Refusal(Reason reason, String detail, String scope, String pool, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.reason = reason;
        this.scope = scope;
        this.pool = pool;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A 401: the credentials are missing or not accepted. */
    public static Refusal unauthenticated(Reason reason, String detail) {
        return new Refusal(reason, detail, null, null, 0);
    }

    /** A 403: the credentials are fine but do not grant {@code scope} (on {@code pool}, when not null). */
    public static Refusal missingScope(Scope scope, String pool, String detail) {
        return new Refusal(Reason.MISSING_SCOPE, detail, scope.label(), pool, 0);
    }

    /** A 403: the credentials do not grant {@code pool}. */
    public static Refusal missingPool(String pool, String detail) {
        return new Refusal(Reason.MISSING_POOL, detail, null, pool, 0);
    }

    /** A 429, to be tried again after {@code seconds}. */
    public static Refusal limited(Reason reason, long seconds, String detail) {
        return new Refusal(reason, detail, null, null, Math.max(1, seconds));
    }

    public Reason reason() {
        return reason;
    }

    public int status() {
        return reason.status();
    }

    /** What was wrong, naming the key, scope, pool or limit; never the credential. */
    public String detail() {
        return getMessage();
    }

    /** The scope that was missing, or null. */
    public String scope() {
        return scope;
    }

    /** The pool concerned, or null. */
    public String pool() {
        return pool;
    }

    /** For a 429: seconds until a retry may succeed; 0 otherwise. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
