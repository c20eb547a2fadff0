package io.poolgate.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers every refusal, whichever layer raised it (the authentication mechanism and the gate
 * through a router failure handler; resources through {@link #response}): the status, {@code
 * WWW-Authenticate: Bearer} on a 401, {@code Retry-After} on a 429, and a body in the format of the
 * route family ({@link RefusalFormat}), problem+json by default.
 */
@Singleton
public final class Refusals {

    static final String PROBLEM_JSON = "application/problem+json";
    /** Right after BodyLimit's failure handler (Integer.MIN_VALUE). */
    private static final int ORDER = Integer.MIN_VALUE + 1;

    private final List<RefusalFormat> formats;
    private final RefusalFormat problems;

    Refusals(Instance<RefusalFormat> formats, ObjectMapper mapper) {
        this.formats = formats.stream().sorted(Comparator.comparingInt((RefusalFormat f) -> f.pathPrefix().length())
                .reversed()).toList();
        this.problems = new ProblemFormat(mapper);
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

    private void write(RoutingContext rc, Refusal refusal) {
        String path = rc.normalizedPath();
        RefusalFormat format = format(path);
        var response = rc.response().setStatusCode(refusal.status());
        headers(path, refusal).forEach(response::putHeader);
        response.putHeader(HttpHeaders.CONTENT_TYPE, format.contentType());
        response.end(Buffer.buffer(format.body(refusal)));
    }

    /** The JAX-RS answer for a refusal raised inside a resource (e.g. PostgreSQL refusing a read scope's write). */
    public Response response(String path, Refusal refusal) {
        RefusalFormat format = format(path);
        Response.ResponseBuilder builder = Response.status(refusal.status()).type(format.contentType())
                .entity(format.body(refusal));
        headers(path, refusal).forEach(builder::header);
        return builder.build();
    }

    /** A refusal raised inside a resource, answered in its route family's format. */
    @org.jboss.resteasy.reactive.server.ServerExceptionMapper
    public Response map(Refusal refusal, io.vertx.core.http.HttpServerRequest request) {
        return response(request.path(), refusal);
    }

    private RefusalFormat format(String path) {
        for (RefusalFormat format : formats) {
            if (path != null && path.startsWith(format.pathPrefix())) {
                return format;
            }
        }
        return problems;
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
    private static final class ProblemFormat implements RefusalFormat {

        private final ObjectMapper mapper;

        ProblemFormat(ObjectMapper mapper) {
            this.mapper = mapper;
        }

        @Override
        public String pathPrefix() {
            return "/";
        }

        @Override
        public String contentType() {
            return PROBLEM_JSON;
        }

        @Override
        public byte[] body(Refusal refusal) {
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
}
