package io.poolgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolgate.pool.Pools;
import io.poolgate.session.Sessions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/** {@code POST /api/v1/pools/{pool}/sessions}: opens a session lease on the pool. */
@Path("/api/v1/pools/{pool}")
@Produces(MediaType.APPLICATION_JSON)
public class SessionOpenResource {

    private static final Set<String> OPEN_FIELDS = Set.of("idleTimeout", "maxLifetime");
    private static final String OPEN_EXAMPLE = "{\"idleTimeout\": \"30s\", \"maxLifetime\": \"10m\"}";

    private final Pools pools;
    private final Sessions sessions;
    private final JsonBodies bodies;

    SessionOpenResource(Pools pools, Sessions sessions, JsonBodies bodies) {
        this.pools = pools;
        this.sessions = sessions;
        this.bodies = bodies;
    }

    /** Opens a lease {@code {idleTimeout?, maxLifetime?}}; answers 201 {@code {id, node, expiresAt, ...}}. */
    @POST
    @Path("/sessions")
    public Uni<Response> open(@PathParam("pool") String pool, byte[] body, @Context HttpServerRequest http) {
        Pools.Entry entry = pools.get(pool);
        Duration idle = null;
        Duration life = null;
        if (body != null && body.length > 0) {
            JsonNode options = bodies.parse(body, OPEN_EXAMPLE);
            JsonBodies.requireObject(options, OPEN_FIELDS, OPEN_EXAMPLE);
            idle = duration(options, "idleTimeout");
            life = duration(options, "maxLifetime");
        }
        return Uni.createFrom().completionStage(sessions.open(entry, Owners.of(http), idle, life))
                .map(session -> Response.created(URI.create("/api/v1/sessions/" + session.id()))
                        .entity(SessionResource.SessionView.of(session)).build());
    }

    /** {@code "30s"}, {@code "5m"}, ISO-8601 {@code "PT30S"}, or a number of seconds. */
    private static Duration duration(JsonNode options, String field) {
        JsonNode value = options.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        Duration duration = null;
        if (value.isIntegralNumber()) {
            duration = Duration.ofSeconds(value.longValue());
        } else if (value.isTextual()) {
            duration = parse(value.textValue().trim());
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw ProblemException.badRequest("field '" + field + "' must be a positive duration such as \"30s\", "
                    + "\"5m\", \"PT30S\" or a number of seconds, got " + value);
        }
        return duration;
    }

    private static Duration parse(String text) {
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                return Duration.parse(text);
            }
            if (text.matches("\\d{1,9}(ms|s|m|h)")) {
                long amount = Long.parseLong(text.replaceAll("\\D", ""));
                return switch (text.replaceAll("\\d", "")) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
        return null;
    }
}
