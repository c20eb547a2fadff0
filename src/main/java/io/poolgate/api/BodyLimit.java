package io.poolgate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
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
    private final ObjectMapper mapper;
    private final java.util.List<WireFormat> formats;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit, ObjectMapper mapper,
            Instance<WireFormat> formats) {
        this.limit = limit.asLongValue();
        this.mapper = mapper;
        this.formats = formats.stream().toList();
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

    /**
     * Answers at once, as problem+json or in the wire format the path speaks; the rest of the body is
     * never read, so the connection is closed after the answer.
     */
    private void refuse(RoutingContext rc, String detail) {
        String message = detail + " (quarkus.http.limits.max-body-size)";
        String path = rc.request().path();
        WireFormat format = formats.stream().filter(f -> f.serves(path)).findFirst().orElse(null);
        var response = rc.response().setStatusCode(413).putHeader(HttpHeaders.CONNECTION, "close");
        Buffer body;
        if (format == null) {
            Problem problem = new Problem("payload-too-large", "Payload too large", 413, message).with("limit", limit);
            response.putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
            body = Buffer.buffer(json(problem));
        } else {
            WireFormat.Refusal refusal = format.refusal(413, message);
            response.putHeader(HttpHeaders.CONTENT_TYPE, refusal.mediaType());
            refusal.headers().forEach(response::putHeader);
            body = Buffer.buffer(refusal.body());
        }
        response.end(body).onComplete(sent -> rc.request().connection().close());
    }

    private byte[] json(Problem problem) {
        try {
            return mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
