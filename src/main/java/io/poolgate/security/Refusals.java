package io.poolgate.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolgate.api.WireFormat;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers every refusal, whichever layer raised it (the authentication mechanism and the gate
 * through a router failure handler; resources through {@link #response}): the status, {@code
 * WWW-Authenticate: Bearer} on a 401, {@code Retry-After} on a 429, and a body in the shape of the
 * foreign {@link WireFormat} that serves the path (the Upstash REST API's {@code {"error": "..."}},
 * Neon's error object), problem+json elsewhere.
 */
@Singleton
public final class Refusals {

    static final String PROBLEM_JSON = "application/problem+json";
    /** Right after BodyLimit's failure handler (Integer.MIN_VALUE). */
    private static final int ORDER = Integer.MIN_VALUE + 1;

    private final List<WireFormat> formats;
    private final ObjectMapper mapper;

    Refusals(Instance<WireFormat> formats, ObjectMapper mapper) {
        this.formats = formats.stream().toList();
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).failureHandler(rc -> {
            Refusal refusal = refusal(rc.failure());
            if (refusal == null || rc.response().ended()) {
                rc.next();
            } else {
                write(rc, refusal);
            }
        });
    }

    /** Quarkus's own security exceptions, should any be raised, answer like the gate's. */
    private static Refusal refusal(Throwable failure) {
        if (failure instanceof Refusal refusal) {
            return refusal;
        }
        if (failure instanceof AuthenticationFailedException) {
            return Refusal.unauthenticated(Refusal.Reason.INVALID_TOKEN, "the credentials were not accepted");
        }
        if (failure instanceof ForbiddenException) {
            return Refusal.missingScope(Scope.ADMIN, null, "the credentials do not grant this request");
        }
        return null;
    }

    /** Answers {@code refusal} on {@code rc}'s response (for routes that answer their own failures). */
    public void write(RoutingContext rc, Refusal refusal) {
        String path = rc.normalizedPath();
        WireFormat.Refusal answer = answer(path, refusal);
        var response = rc.response().setStatusCode(refusal.status());
        answer.headers().forEach(response::putHeader);
        headers(path, refusal).forEach(response::putHeader);
        response.putHeader(HttpHeaders.CONTENT_TYPE, answer.mediaType());
        response.end(Buffer.buffer(answer.body()));
    }

    /** The JAX-RS answer for a refusal raised inside a resource (e.g. PostgreSQL refusing a read scope's write). */
    public Response response(String path, Refusal refusal) {
        WireFormat.Refusal answer = answer(path, refusal);
        Response.ResponseBuilder builder = Response.status(refusal.status()).type(answer.mediaType())
                .entity(answer.body());
        answer.headers().forEach(builder::header);
        headers(path, refusal).forEach(builder::header);
        return builder.build();
    }

    /** A refusal raised inside a resource, answered in its route family's format. */
    @org.jboss.resteasy.reactive.server.ServerExceptionMapper
    public Response map(Refusal refusal, io.vertx.core.http.HttpServerRequest request) {
        return response(request.path(), refusal);
    }

    /** The body (and a format's own headers) for {@code refusal}: the path's wire format, or problem+json. */
    private WireFormat.Refusal answer(String path, Refusal refusal) {
        for (WireFormat format : formats) {
            if (path != null && format.serves(path)) {
                return format.refusal(refusal.status(), refusal.detail());
            }
        }
        return new WireFormat.Refusal(refusal.status(), PROBLEM_JSON, problem(refusal), Map.of());
    }

    private static Map<String, String> headers(String path, Refusal refusal) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (refusal.status() == 401) {
            String bearer = refusal.reason() == Refusal.Reason.MISSING_CREDENTIALS ? "Bearer realm=\"poolgate\""
                    : "Bearer realm=\"poolgate\", error=\"invalid_token\"";
            // a browser opening the status page can only answer a Basic challenge (the key as password)
            headers.put("WWW-Authenticate", Routes.isStatusPage(path)
                    ? bearer + ", Basic realm=\"poolgate\", charset=\"UTF-8\"" : bearer);
        }
        if (refusal.retryAfterSeconds() > 0) {
            headers.put("Retry-After", Long.toString(refusal.retryAfterSeconds()));
        }
        return headers;
    }

    /** RFC 9457: {@code type}, {@code title}, {@code status}, {@code detail}, and {@code scope} / {@code pool}. */
    private byte[] problem(Refusal refusal) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:poolgate:problem:" + refusal.reason().slug());
        problem.put("title", refusal.reason().title());
        problem.put("status", refusal.status());
        problem.put("detail", refusal.detail());
        if (refusal.scope() != null) {
            problem.put("scope", refusal.scope());
        }
        if (refusal.pool() != null) {
            problem.put("pool", refusal.pool());
        }
        if (refusal.retryAfterSeconds() > 0) {
            problem.put("retryAfterSeconds", refusal.retryAfterSeconds());
        }
        try {
            return mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
