package io.poolgate.security;

import io.poolgate.topology.RoleLogin;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * What the current request's credentials grant, for the resources: whether its work on a pool is
 * read-only, who holds the session leases it opens, and the PostgreSQL role its SQL runs as. With
 * authentication off, every request may do everything and holds no name.
 */
@Singleton
public final class Access {

    private final CurrentVertxRequest request;
    private final AuthConfig config;

    Access(CurrentVertxRequest request, AuthConfig config) {
        this.request = request;
        this.config = config;
    }

    private Grant grant() {
        return grant(request.getCurrent());
    }

    private static Grant grant(RoutingContext request) {
        return request == null ? null : request.get(Grant.ATTRIBUTE);
    }

    /** Whether the request may only read: its SQL runs in read-only transactions, its Redis commands must be readonly. */
    public boolean readOnly() {
        return readOnly(request.getCurrent());
    }

    /** {@link #readOnly()} of {@code request}, for code that runs outside the request context (a Vert.x route). */
    public boolean readOnly(RoutingContext request) {
        Grant grant = grant(request);
        return grant != null && grant.readOnly();
    }

    /** Who the request is ({@code key 'app'}, {@code token 'sub'}); null when authentication is off. */
    public String holder() {
        Grant grant = grant();
        return grant == null ? null : grant.name();
    }

    /**
     * The PostgreSQL role the request's SQL must run as ({@code poolgate.auth.keys.<name>.role} or
     * the token's role claim); empty: the pool's own login. The resources pick the role's
     * connections with it (the login is {@code poolgate.auth.roles.<role>.password}).
     */
    public Optional<String> role() {
        return role(grant());
    }

    private static Optional<String> role(Grant grant) {
        return grant == null ? Optional.empty() : grant.role();
    }

    /**
     * The login of the request's role ({@link #role()}), whose connections serve its SQL; null: the
     * pool's own login serves it.
     */
    public RoleLogin login() {
        return login(grant());
    }

    /** {@link #login()} of {@code request}, for code that runs outside the request context (a Vert.x route). */
    public RoleLogin login(RoutingContext request) {
        return login(grant(request));
    }

    private RoleLogin login(Grant grant) {
        return role(grant).map(role -> {
            AuthConfig.RoleConfig login = config.roles().get(role);
            // the validator refuses to start with a key's role that has no login; a token's role may be any
            if (login == null) {
                throw Refusal.missingScope(Scope.WRITE, null, "the credentials map to database role '" + role
                        + "', which has no login configured (poolgate.auth.roles." + role + ".password)");
            }
            return new RoleLogin(role, login.password(), login.maxConnections());
        }).orElse(null);
    }

    /** The 403 for a write that PostgreSQL or the Redis command flags refused to a read-scope request on {@code pool}. */
    public Refusal readOnlyRefusal(String pool, String what) {
        return Refusal.missingScope(Scope.WRITE, pool, "the credentials have scope 'read' on pool '" + pool
                + "', which does not allow writes: " + what);
    }
}
