package io.poolgate.security;

import io.github.bucket4j.ConsumptionProbe;
import io.poolgate.config.PoolgateConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one HTTP security policy every request passes (a global {@link HttpSecurityPolicy}: Quarkus
 * runs it after authentication, before any route, the REST resources as well as the static status
 * page): {@link Routes} says what the path needs, the identity's {@link Grant} has it or the request
 * is refused (401 without credentials, 403 naming the scope or pool, 429 past the key's rate
 * limit). A permitted request carries its grant for {@link Access}.
 */
@Singleton
final class Gate implements HttpSecurityPolicy {

    private static final Logger LOG = Logger.getLogger(Gate.class);

    private final AuthConfig config;
    private final PoolgateConfig pools;
    private final boolean metricsClosed;

    Gate(AuthConfig config, PoolgateConfig pools) {
        this.config = config;
        this.pools = pools;
        this.metricsClosed = config.metricsKey().isPresent();
    }

    /** Fails start-up on a broken auth configuration; warns once when authentication is off. */
    void start(@Observes StartupEvent event) {
        List<String> errors = AuthValidator.check(config, pools.pools().keySet());
        if (!errors.isEmpty()) {
            throw new InvalidAuthConfigException(errors);
        }
        if (!config.enabled()) {
            LOG.warn("authentication is off (poolgate.auth.enabled=false): anyone who reaches this port can run any "
                    + "SQL and Redis command on every pool and use the operator API");
        } else {
            LOG.infof("authentication is on: %d key(s)%s", config.keys().size(),
                    AuthValidator.jwtConfigured(config.jwt()) ? ", JWT bearer tokens" : "");
        }
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext context) {
        if (!config.enabled()) {
            return CheckResult.permit();
        }
        Routes.Route route = Routes.classify(request.request().method().name(), request.normalizedPath(),
                request.request()::getHeader);
        if (route.kind() == Routes.Kind.OPEN || route.kind() == Routes.Kind.METRICS && !metricsClosed) {
            return CheckResult.permit();
        }
        return identity.map(id -> {
            Grant grant = id.isAnonymous() ? null : id.getAttribute(Grant.ATTRIBUTE);
            check(route, grant);
            limit(grant);
            request.put(Grant.ATTRIBUTE, grant);
            return CheckResult.PERMIT;
        });
    }

    static void check(Routes.Route route, Grant grant) {
        if (grant == null) {
            throw Refusal.unauthenticated(Refusal.Reason.MISSING_CREDENTIALS, "this request needs credentials: "
                    + "send 'Authorization: Bearer <key or token>'");
        }
        String pool = route.pool();
        switch (route.kind()) {
            case METRICS -> {
                if (!grant.has(Scope.METRICS) && !grant.has(Scope.ADMIN)) {
                    throw Refusal.missingScope(Scope.METRICS, null, grant.name() + " lacks scope 'metrics' (or "
                            + "'admin') needed for /q/metrics");
                }
            }
            case CLIENT -> {
                if (!grant.has(Scope.READ)) {
                    throw Refusal.missingScope(Scope.READ, pool, grant.name() + " lacks scope 'read' or 'write' "
                            + "needed to use pool '" + pool + "' (it has " + labels(grant) + ")");
                }
                requirePool(grant, pool);
            }
            case SESSION -> {
                if (!grant.has(Scope.READ)) {
                    throw Refusal.missingScope(Scope.READ, null, grant.name() + " lacks scope 'read' or 'write' "
                            + "needed for session leases (it has " + labels(grant) + ")");
                }
            }
            case ADMIN -> {
                if (!grant.has(Scope.ADMIN)) {
                    throw Refusal.missingScope(Scope.ADMIN, pool, grant.name() + " lacks scope 'admin' needed for "
                            + "the operator API and the status page (it has " + labels(grant) + ")");
                }
                if (pool != null) {
                    requirePool(grant, pool);
                }
            }
            default -> {
            }
        }
    }

    private static void requirePool(Grant grant, String pool) {
        if (pool == null || !grant.allows(pool)) {
            throw Refusal.missingPool(pool, grant.name() + " is not granted pool '" + (pool == null ? "" : pool)
                    + "' (it may use " + String.join(", ", grant.pools().stream().sorted().toList()) + ")");
        }
    }

    private static String labels(Grant grant) {
        return grant.scopes().isEmpty() ? "no scope" : "scopes " + String.join(", ", grant.scopes().stream()
                .map(Scope::label).sorted().toList());
    }

    private static void limit(Grant grant) {
        if (grant.limit() == null) {
            return;
        }
        ConsumptionProbe probe = grant.limit().tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L);
            throw Refusal.limited(Refusal.Reason.RATE_LIMITED, seconds, grant.name() + " is over its rate limit "
                    + "(poolgate.auth.keys.<name>.rate-limit); try again in " + Math.max(1, seconds) + " s");
        }
    }
}
