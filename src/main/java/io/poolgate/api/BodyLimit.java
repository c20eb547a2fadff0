package io.poolgate.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request body over {@code quarkus.http.limits.max-body-size} with a 413 problem, like
 * every other error (Quarkus's own answer is an empty 413). A body with a Content-Length is judged
 * by that header before anything reads it. A chunked one is read by Vert.x's {@link BodyHandler}
 * (whose body Quarkus REST then uses): past the limit it fails the request with 413, and that
 * failure is answered here.
 */
@Singleton
final class BodyLimit {

    /** Filters run in the order of their negated priority: this one before Quarkus's check at -2. */
    private static final int PRIORITY = 100;

    private final long limit;
    private final Refusals refusals;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit, Refusals refusals) {
        this.limit = limit.asLongValue();
        this.refusals = refusals;
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void register(@Observes Router router) {
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(limit);
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            if (rc.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null
                    && rc.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                chunked.handle(rc);
            } else {
                rc.next();
            }
        }).failureHandler(rc -> {
            if (rc.statusCode() == 413 && !rc.response().ended()) {
                refuse(rc, "request body is over the limit of " + limit + " bytes");
            } else {
                rc.next();
            }
        });
    }

    private void check(RoutingContext rc) {
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared = length == null ? -1 : Long.parseLong(length.trim()); // Netty refused a non-number
        if (declared > limit) {
            refuse(rc, "request body of " + declared + " bytes is over the limit of " + limit + " bytes");
        } else {
            rc.next();
        }
    }

    /** Answers at once, in the shape the path speaks; the connection is closed after the answer. */
    private void refuse(RoutingContext rc, String detail) {
        refusals.refuse(rc, new Problem("payload-too-large", "Payload too large", 413,
                detail + " (quarkus.http.limits.max-body-size)").with("limit", limit), Map.of());
    }
}
