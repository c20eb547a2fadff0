package io.poolgate.upstash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolgate.api.BackendFailure;
import io.poolgate.api.WireFormat;
import io.poolgate.pool.PoolUnavailableException;
import io.poolgate.topology.UnknownPoolException;
import io.poolgate.redis.CommandException;
import io.poolgate.redis.RedisCommands;
import io.poolgate.redis.TransactionAbortedException;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Every failure of {@code /upstash/...} in Upstash's error shape, the one place that knows it:
 * {@code {"error": "..."}} with the status Upstash gives (400 for a bad request or a command Redis
 * refused, its text exact, e.g. {@code WRONGTYPE ...} or {@code NOSCRIPT ...}, which the client's
 * EVALSHA fallback looks for; 401 without a token), and a fresh {@code upstash-sync-token}.
 */
@Singleton
final class UpstashErrors implements WireFormat {

    static final String PATH = "/upstash";

    private static final Logger LOG = Logger.getLogger(UpstashErrors.class);

    private final ObjectMapper mapper;
    private final SyncTokens tokens;

    UpstashErrors(ObjectMapper mapper, SyncTokens tokens) {
        this.mapper = mapper;
        this.tokens = tokens;
    }

    @Override
    public boolean serves(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    @Override
    public Refusal refusal(int status, String message) {
        return new Refusal(status, MediaType.APPLICATION_JSON, body(message),
                Map.of(SyncTokens.HEADER, tokens.next()));
    }

    /** The answer for a failure of an Upstash request. */
    Response response(Throwable failure) {
        if (failure instanceof UpstashException upstash) {
            return respond(upstash.status(), upstash.getMessage());
        }
        if (failure instanceof io.poolgate.security.Refusal refusal) {
            return respond(refusal.status(), refusal.detail()); // a read key's write, refused by the server's flags
        }
        if (RedisCommands.isReplyError(failure)) {
            return respond(400, failure.getMessage());
        }
        if (failure instanceof CommandException refused) {
            return respond(400, refused.getMessage());
        }
        if (failure instanceof TransactionAbortedException aborted) {
            return respond(400, "EXECABORT Transaction discarded because of previous errors: command "
                    + (aborted.index() + 1) + " was refused: " + aborted.refusal());
        }
        if (failure instanceof UnknownPoolException unknown) {
            return respond(unknown.wrongKind() ? 400 : 404, unknown.getMessage());
        }
        if (failure instanceof PoolUnavailableException unavailable) {
            return Response.fromResponse(respond(503, unavailable.getMessage()))
                    .header("Retry-After", unavailable.retryAfterSeconds()).build();
        }
        if (failure instanceof BackendFailure backend) {
            Response response = respond(backend.kind() == BackendFailure.Kind.LOST ? 503 : 504, backend.getMessage());
            return backend.kind() == BackendFailure.Kind.LOST
                    ? Response.fromResponse(response).header("Retry-After", 1).build() : response;
        }
        if (BackendFailure.isConnectionFailure(failure)) {
            LOG.debugf("backend failure answering an Upstash request: %s", failure.getMessage());
            return Response.fromResponse(respond(503, "the backend connection failed: " + failure.getMessage()))
                    .header("Retry-After", 1).build();
        }
        if (failure instanceof WebApplicationException web) {
            return respond(web.getResponse().getStatus(), web.getMessage());
        }
        LOG.error("unexpected failure answering an Upstash request", failure);
        return respond(500, "poolgate failed unexpectedly (" + failure.getClass().getSimpleName()
                + "); see the gateway's log");
    }

    private Response respond(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body(message))
                .header(SyncTokens.HEADER, tokens.next()).build();
    }

    private byte[] body(String message) {
        try {
            return mapper.writeValueAsBytes(Map.of("error", message == null ? "" : message));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
