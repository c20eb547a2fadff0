package io.poolgate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Answers a request refused before any resource runs (a body over the limit, a gateway that is
 * shutting down) in the shape its path speaks: problem+json, or the error shape of the foreign
 * {@link WireFormat} (Upstash, Neon) that serves the path.
 */
@Singleton
final class Refusals {

    private final ObjectMapper mapper;
    private final List<WireFormat> formats;

    Refusals(ObjectMapper mapper, Instance<WireFormat> formats) {
        this.mapper = mapper;
        this.formats = formats.stream().toList();
    }

    /**
     * Ends the response with {@code problem} (or the format's own shape of its status and detail)
     * and {@code headers}, then closes the connection: the rest of the request is never read.
     */
    void refuse(RoutingContext rc, Problem problem, Map<String, String> headers) {
        String path = rc.request().path();
        WireFormat format = formats.stream().filter(f -> f.serves(path)).findFirst().orElse(null);
        HttpServerResponse response = rc.response().setStatusCode(problem.getStatus())
                .putHeader(HttpHeaders.CONNECTION, "close");
        headers.forEach(response::putHeader);
        Buffer body;
        if (format == null) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
            body = Buffer.buffer(json(problem));
        } else {
            WireFormat.Refusal refusal = format.refusal(problem.getStatus(), problem.getDetail());
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
