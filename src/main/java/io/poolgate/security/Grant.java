package io.poolgate.security;

import io.github.bucket4j.Bucket;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What one set of credentials grants: scopes, pools, the database role, and its rate limit.
 *
 * @param name     who it is, for logs and lease owners: {@code key 'app'} or {@code token 'subject'}
 * @param scopes   what it may do
 * @param pools    the pools it may use; {@link #ALL_POOLS} among them for every pool
 * @param role     the PostgreSQL role that serves its SQL, if any
 * @param limit    its token bucket, or null for no limit
 */
record Grant(String name, Set<Scope> scopes, Set<String> pools, Optional<String> role, Bucket limit) {

    static final String ALL_POOLS = "*";
    /** The SecurityIdentity attribute and RoutingContext key that hold the grant. */
    static final String ATTRIBUTE = "poolgate.grant";

    Grant {
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
        pools = Set.copyOf(pools);
    }

    boolean has(Scope scope) {
        return scopes.contains(scope) || scope == Scope.READ && scopes.contains(Scope.WRITE);
    }

    boolean allows(String pool) {
        return pools.contains(ALL_POOLS) || pools.contains(pool);
    }

    /** Reads but does not write: its SQL runs in read-only transactions and its Redis commands must be readonly. */
    boolean readOnly() {
        return !scopes.contains(Scope.WRITE);
    }
}
