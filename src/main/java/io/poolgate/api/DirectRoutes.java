package io.poolgate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.poolgate.observe.RequestMeters;
import io.poolgate.security.Refusal;
import io.poolgate.security.Refusals;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import java.io.UncheckedIOException;
import java.util.function.BiConsumer;

/**
 * The two endpoints every client calls all the time, {@code POST /api/v1/pools/{pool}/query} and
 * {@code /command}, served by Vert.x routes of their own ahead of Quarkus REST: the same work
 * ({@link SqlResource#query(String, byte[], RoutingContext, java.util.function.BiConsumer)},
 * {@link RedisResource#command}) and the same answers ({@link ProblemMappers#of}, the gate's
 * {@link Refusals}, {@code poolgate_request_seconds}), without the REST layer's resource matching,
 * body reader, filter chain, request context and Uni stages around them (about a sixth of the CPU
 * a {@code SELECT 1} costs: bench/README.md).
 *
 * <p>Everything in front of the routes still runs for them: the shutdown gate, the body limit,
 * authentication and the gate's policy (router filters). A request these routes would answer
 * differently from the JAX-RS methods (an {@code Accept} that excludes JSON, a {@code Content-Type}
 * that is not a media type, a chunked body, an {@code Expect} header, an escaped pool name) is passed
 * on to those methods, which stay the endpoints' reference and their OpenAPI description.
 */
@Singleton
final class DirectRoutes {

    private static final String PREFIX = "/api/v1/pools/";
    private static final String JSON = "application/json";
    /** What Quarkus REST names the JSON it writes. */
    private static final String JSON_UTF8 = "application/json;charset=UTF-8";

    private final SqlResource sql;
    private final RedisResource redis;
    private final Refusals refusals;
    private final ObjectWriter writer;
    private final RequestMeters.Api queries;
    private final RequestMeters.Api commands;

    DirectRoutes(SqlResource sql, RedisResource redis, Refusals refusals, ObjectMapper mapper, RequestMeters meters) {
        this.sql = sql;
        this.redis = redis;
        this.refusals = refusals;
        this.writer = mapper.writer();
        this.queries = meters.api("query");
        this.commands = meters.api("command");
    }

    void register(@Observes Router router) {
        // one prefix route, the rest of the path read here: cheaper than matching two patterns per request
        router.route(HttpMethod.POST, PREFIX + "*").handler(this::route);
    }

    private void route(RoutingContext rc) {
        String path = rc.normalizedPath();
        int slash = path.indexOf('/', PREFIX.length());
        String pool = slash < 0 ? "" : path.substring(PREFIX.length(), slash);
        String action = path.substring(slash + 1);
        // an odd name (escaped, with parameters) is left to the JAX-RS methods, which decode it
        if (pool.isEmpty() || pool.indexOf('%') >= 0 || pool.indexOf(';') >= 0) {
            rc.next();
        } else if (action.equals("query")) {
            serve(rc, queries, (body, answer) -> sql.query(pool, body, rc,
                    (json, error) -> answer.accept(json == null ? null : Buffer.buffer(json), error)));
        } else if (action.equals("command")) {
            serve(rc, commands, (body, answer) -> redis.command(pool, body,
                    rc.request().getHeader(RedisResource.ENCODING), rc,
                    (reply, error) -> answer.accept(reply == null ? null : json(reply), error)));
        } else {
            rc.next();
        }
    }

    /** An endpoint's work: started with the request body, it tells {@code answer} once and returns its abandon action. */
    private interface Work {
        Runnable start(byte[] body, BiConsumer<Buffer, Throwable> answer);
    }

    private void serve(RoutingContext rc, RequestMeters.Api meter, Work work) {
        HttpServerRequest request = rc.request();
        if (!direct(request)) {
            rc.next();
            return;
        }
        long started = System.nanoTime();
        request.body().onComplete(read -> {
            if (read.failed()) {
                return; // the client went away while sending: nobody to answer
            }
            Runnable abandon;
            try {
                abandon = work.start(read.result().getBytes(), (body, error) -> answer(rc, meter, started, body, error));
            } catch (RuntimeException e) { // bad input, an unknown pool, a role without a login
                answer(rc, meter, started, null, e);
                return;
            }
            rc.response().closeHandler(closed -> abandon.run());
        });
        request.resume(); // the authentication filter paused it
    }

    /**
     * Whether these routes answer {@code request} as the JAX-RS method would: a body of a declared
     * length, no {@code Expect}, a {@code Content-Type} that is a media type (the method answers 400
     * otherwise) and an {@code Accept} that takes JSON (406 otherwise).
     */
    static boolean direct(HttpServerRequest request) {
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null || request.getHeader(HttpHeaders.EXPECT) != null) {
            return false;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return mediaType(request.getHeader(HttpHeaders.CONTENT_TYPE))
                && (accept == null || accept.contains("*/*") || accept.contains(JSON) || accept.contains("application/*"));
    }

    /** Whether {@code contentType} is absent or a media type as Quarkus REST reads one. */
    private static boolean mediaType(String contentType) {
        if (contentType == null || contentType.equals(JSON)) {
            return true;
        }
        try {
            MediaType.valueOf(contentType);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Writes the answer (a call answers once; to a client that hung up, the write goes nowhere) and records it. */
    private void answer(RoutingContext rc, RequestMeters.Api meter, long started, Buffer body, Throwable error) {
        HttpServerResponse response = rc.response();
        int status = 200;
        if (error == null) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, JSON_UTF8).end(body);
        } else if (error instanceof Refusal refusal) { // a write PostgreSQL or the command flags refused to a read scope
            status = refusal.status();
            refusals.write(rc, refusal);
        } else {
            Problem problem = ProblemMappers.of(error);
            status = problem.getStatus();
            response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
            if (problem.retryAfterSeconds() > 0) {
                response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(problem.retryAfterSeconds()));
            }
            response.end(json(problem));
        }
        meter.record(status, started);
    }

    private Buffer json(Object value) {
        try {
            return Buffer.buffer(writer.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
