package io.poolgate.neon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.poolgate.api.BackendFailure;
import io.poolgate.api.WireFormat;
import io.poolgate.pool.PoolUnavailableException;
import io.poolgate.topology.UnknownPoolException;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Every failure of {@code /sql} in Neon's error shape, the one place that knows it: a JSON object
 * with {@code message} and every field of a PostgreSQL error ({@code code}, {@code severity},
 * {@code detail}, {@code hint}, {@code position}, {@code internalPosition}, {@code internalQuery},
 * {@code where}, {@code schema}, {@code table}, {@code column}, {@code dataType}, {@code constraint},
 * {@code file}, {@code line}, {@code routine}: strings, null when absent). The driver reads a 400 as a
 * database error and copies these fields onto its {@code NeonDbError}; any other status becomes
 * "Server error (HTTP status N): body". Every answer carries {@code Access-Control-Allow-Origin: *}.
 */
@Singleton
final class NeonErrors implements WireFormat {

    static final String PATH = "/sql";
    static final Map<String, String> CORS = Map.of("Access-Control-Allow-Origin", "*");

    private static final Logger LOG = Logger.getLogger(NeonErrors.class);
    private static final JsonFactory JSON = new JsonFactory();
    /** The JSON names of PostgreSQL's error fields, by their protocol code, in Neon's order. */
    private static final Object[][] FIELDS = { { "code", 'C' }, { "detail", 'D' }, { "hint", 'H' },
        { "position", 'P' }, { "internalPosition", 'p' }, { "internalQuery", 'q' }, { "severity", 'S' },
        { "where", 'W' }, { "table", 't' }, { "column", 'c' }, { "schema", 's' }, { "dataType", 'd' },
        { "constraint", 'n' }, { "file", 'F' }, { "line", 'L' }, { "routine", 'R' } };

    @Override
    public boolean serves(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    @Override
    public Refusal refusal(int status, String message) {
        return new Refusal(status, MediaType.APPLICATION_JSON, body(message, null), CORS);
    }

    /** The answer for a failure of a {@code /sql} request. */
    Response response(Throwable failure) {
        if (failure instanceof io.poolgate.security.Refusal refusal) {
            return respond(refusal.status(), body(refusal.detail(), null)); // a read key's write PostgreSQL refused
        }
        if (failure instanceof SqlFailure sql) {
            return respond(400, body(sql.error().message(), sql.error()));
        }
        if (failure instanceof NeonException neon) {
            return respond(neon.status(), body(neon.getMessage(), null));
        }
        if (failure instanceof ResultTooLarge tooLarge) {
            return respond(507, body(tooLarge.getMessage(), null));
        }
        if (failure instanceof UnknownPoolException unknown) {
            return respond(unknown.wrongKind() ? 400 : 404, body(unknown.getMessage(), null));
        }
        if (failure instanceof PoolUnavailableException unavailable) {
            return Response.fromResponse(respond(503, body(unavailable.getMessage(), null)))
                    .header("Retry-After", unavailable.retryAfterSeconds()).build();
        }
        if (failure instanceof BackendFailure backend) {
            Response response = respond(backend.kind() == BackendFailure.Kind.LOST ? 503 : 504,
                    body(backend.getMessage(), null));
            return backend.kind() == BackendFailure.Kind.LOST
                    ? Response.fromResponse(response).header("Retry-After", 1).build() : response;
        }
        if (failure instanceof WireTap.WireException || BackendFailure.isConnectionFailure(failure)) {
            LOG.debugf("backend failure answering /sql: %s", failure.getMessage());
            return Response.fromResponse(respond(503, body("the backend connection failed: " + failure.getMessage(),
                    null))).header("Retry-After", 1).build();
        }
        if (failure instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            return respond(status, body("POST " + PATH + ": " + web.getMessage(), null));
        }
        LOG.error("unexpected failure answering /sql", failure);
        return respond(500, body("poolgate failed unexpectedly (" + failure.getClass().getSimpleName()
                + "); see the gateway's log", null));
    }

    private static Response respond(int status, byte[] body) {
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
        CORS.forEach(response::header);
        return response.build();
    }

    static byte[] body(String message, PgError error) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("message", message);
            for (Object[] field : FIELDS) {
                json.writeStringField((String) field[0], error == null ? null : error.field((Character) field[1]));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
