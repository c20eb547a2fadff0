package io.poolgate.upstash;

import io.poolgate.api.WireFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code POST /upstash/{pool}/subscribe/{channel}} and {@code /psubscribe/{pattern}}, where the
 * client's {@code redis.subscribe()} / {@code psubscribe()} ask for Server-Sent Events: refused with
 * a 400 that says why, in Upstash's shape. A subscription holds its connection for as long as the
 * client listens, in a mode where the Vert.x client (RESP2) cannot tell a pushed message from the
 * reply to a health check or a reset, so neither the pool's checks nor its shutdown could keep such
 * a connection honest; pub/sub needs a Redis client of its own.
 */
@Singleton
final class PubSubRoutes {

    static final String MESSAGE = "SUBSCRIBE and PSUBSCRIBE (Server-Sent Events) are not supported by poolgate: a "
            + "subscription would hold a pooled connection for as long as the client listens; use a Redis client "
            + "for pub/sub";

    private final UpstashErrors errors;

    PubSubRoutes(UpstashErrors errors) {
        this.errors = errors;
    }

    void register(@Observes Router router) {
        router.postWithRegex(UpstashErrors.PATH + "/[^/]+/p?subscribe(/.*)?").handler(this::refuse);
    }

    private void refuse(RoutingContext rc) {
        WireFormat.Refusal refusal = errors.refusal(400, MESSAGE);
        var response = rc.response().setStatusCode(refusal.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, refusal.mediaType());
        refusal.headers().forEach(response::putHeader);
        response.end(Buffer.buffer(refusal.body()));
    }
}
