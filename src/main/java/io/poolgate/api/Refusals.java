package io.poolgate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers a request refused before any resource runs (a body over the limit, a gateway that is
 * shutting down) in the shape its path speaks: problem+json, or the error shape of the foreign
 * {@link WireFormat} (Upstash, Neon) that serves the path.
 */
@Singleton
final class Refusals {

    /** How long a client still sending a refused body may go on before its connection is closed. */
    static final long LINGER_MILLIS = 2_000;
    /** How much of a refused body is read and dropped, at most, before the connection is closed. */
    static final long LINGER_BYTES = 16L * 1024 * 1024;

    private final ObjectMapper mapper;
    private final List<WireFormat> formats;

    Refusals(ObjectMapper mapper, Instance<WireFormat> formats) {
        this.mapper = mapper;
        this.formats = formats.stream().toList();
    }

    /**
     * Ends the response with {@code problem} (or the format's own shape of its status and detail)
     * and {@code headers}, then closes the connection: the rest of the request is never used.
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
        response.end(body).onComplete(sent -> closeWhenSent(rc.vertx(), rc.request()));
    }

    /**
     * Closes the connection once the client has finished sending, reading and dropping what it
     * still sends, for at most {@link #LINGER_MILLIS} and {@link #LINGER_BYTES}. Closing a socket
     * with unread bytes resets the connection, and a client still writing its body (one that reads
     * an early answer, as the JDK's does) would lose the answer it was sent: nginx's and Apache's
     * lingering close, for the same reason.
     */
    private static void closeWhenSent(Vertx vertx, HttpServerRequest request) {
        HttpConnection connection = request.connection();
        if (request.isEnded()) {
            connection.close();
            return;
        }
        long timer = vertx.setTimer(LINGER_MILLIS, t -> connection.close());
        Runnable close = () -> {
            vertx.cancelTimer(timer);
            connection.close();
        };
        AtomicLong dropped = new AtomicLong();
        try {
            request.handler(chunk -> {
                if (dropped.addAndGet(chunk.length()) > LINGER_BYTES) {
                    close.run();
                }
            });
            request.endHandler(ended -> close.run());
            request.exceptionHandler(error -> close.run());
            request.resume();
        } catch (IllegalStateException alreadyRead) { // a body handler has it: nothing left to drain here
            close.run();
        }
    }

    private byte[] json(Problem problem) {
        try {
            return mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
