package io.poolgate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request body over {@code quarkus.http.limits.max-body-size} with a 413 problem, like
 * every other error, before anything reads it (Quarkus's own check, which runs later, answers with
 * an empty 413). A body with a Content-Length is judged by that header; a chunked one is read here,
 * up to the limit, and handed on as the request's body.
 */
@Singleton
final class BodyLimit {

    /** Filters run in the order of their negated priority: this one before Quarkus's check at -2. */
    private static final int PRIORITY = 100;

    private final long limit;
    private final ObjectMapper mapper;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit, ObjectMapper mapper) {
        this.limit = limit.asLongValue();
        this.mapper = mapper;
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared = Long.parseLong(length.trim()); // Netty has refused a length that is not a number
            if (declared > limit) {
                refuse(rc, "request body of " + declared + " bytes is over the limit of " + limit + " bytes");
            } else {
                rc.next();
            }
        } else if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING) && !request.isEnded()) {
            read(rc);
        } else {
            rc.next();
        }
    }

    /** Reads a body of unknown length, refusing it as soon as it passes the limit. */
    private void read(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (rc.response().ended()) {
                return; // refused: the connection closes once the problem is sent
            }
            if (body.length() + (long) chunk.length() > limit) {
                refuse(rc, "request body is over the limit of " + limit + " bytes");
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(end -> {
            if (!rc.response().ended()) {
                rc.setBody(body);
                rc.next();
            }
        });
        request.resume();
    }

    /** Answers at once; the rest of the body is never read, so the connection is closed after the answer. */
    private void refuse(RoutingContext rc, String detail) {
        Problem problem = new Problem("payload-too-large", "Payload too large", 413,
                detail + " (quarkus.http.limits.max-body-size)").with("limit", limit);
        rc.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Buffer.buffer(json(problem)))
                .onComplete(sent -> rc.request().connection().close());
    }

    private byte[] json(Problem problem) {
        try {
            return mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
