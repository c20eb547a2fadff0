package io.poolgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.topology.Cluster;
import io.poolgate.topology.Pools;
import io.poolgate.topology.Route;
import io.poolgate.postgres.PgStatements;
import io.poolgate.postgres.QueryResult;
import io.poolgate.postgres.ResultLimits;
import io.poolgate.redis.ReadOnlyCommands;
import io.poolgate.redis.RedisCommands;
import io.poolgate.redis.RedisLink;
import io.poolgate.redis.WriteRefusedException;
import io.poolgate.security.Access;
import io.poolgate.session.SessionLease;
import io.poolgate.session.Sessions;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgConnection;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Session leases over HTTP: a connection pinned to the client across requests, for interactive
 * transactions (BEGIN on one request, COMMIT on a later one) and session state.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions", description = "Session leases: a connection pinned to the client across requests")
public class SessionResource {

    /** A session lease as the API shows it. */
    @RegisterForReflection
    public record SessionView(String id, String pool, String kind, String node, Instant createdAt,
            Instant lastUsedAt, Instant expiresAt, long idleTimeoutSeconds, long maxLifetimeSeconds, boolean busy,
            long requests) {

        static SessionView of(SessionLease s) {
            return new SessionView(s.id(), s.pool().name(), s.pool().kind().name().toLowerCase(),
                    s.lease().node().name(), s.createdAt(), s.lastUsedAt(), s.expiresAt(),
                    s.idleTimeout().toSeconds(), s.maxLifetime().toSeconds(), s.busy(), s.requests());
        }
    }

    private static final Set<String> OPEN_FIELDS = Set.of("idleTimeout", "maxLifetime", "readOnly");
    private static final String OPEN_EXAMPLE = "{\"idleTimeout\": \"30s\", \"maxLifetime\": \"10m\"}";

    private final Pools pools;
    private final Sessions sessions;
    private final JsonBodies bodies;
    private final ResultLimits limits;
    private final Deadlines deadlines;
    private final Access access;
    private final ReadOnlyCommands readOnly;

    SessionResource(Pools pools, Sessions sessions, JsonBodies bodies, io.poolgate.config.PoolgateConfig config,
            Deadlines deadlines, Access access, ReadOnlyCommands readOnly) {
        this.pools = pools;
        this.sessions = sessions;
        this.bodies = bodies;
        this.limits = ResultLimits.of(config);
        this.deadlines = deadlines;
        this.access = access;
        this.readOnly = readOnly;
    }

    /** A write refused to a read-only lease is the scope's 403. */
    private Throwable scoped(String pool, boolean readOnlyLease, Throwable error) {
        if (readOnlyLease && PgStatements.refusedWrite(error)) {
            return access.readOnlyRefusal(pool, PgStatements.refusalText(error));
        }
        return error instanceof WriteRefusedException refused ? access.readOnlyRefusal(pool, refused.getMessage())
                : error;
    }

    /** Opens a lease {@code {idleTimeout?, maxLifetime?}}; answers 201 {@code {id, node, expiresAt, ...}}. */
    @POST
    @Path("/pools/{pool}/sessions")
    @Operation(summary = "Open a session lease")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiSchemas.SessionOptions.class)))
    @APIResponse(responseCode = "201", description = "The lease", headers = @Header(name = "Location",
            description = "/api/v1/sessions/{id}", schema = @Schema(type = SchemaType.STRING)), content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionView.class)))
    @APIResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiSchemas.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Uni<Response> open(@PathParam("pool") String pool, byte[] body, @Context HttpServerRequest http) {
        Cluster<?> entry = pools.get(pool);
        Duration idle = null;
        Duration life = null;
        boolean askedReadOnly = false;
        if (body != null && body.length > 0) {
            JsonNode options = bodies.parse(body, OPEN_EXAMPLE);
            JsonBodies.requireObject(options, OPEN_FIELDS, OPEN_EXAMPLE);
            idle = duration(options, "idleTimeout");
            life = duration(options, "maxLifetime");
            askedReadOnly = QueryRequest.bool(options, "readOnly");
        }
        // a read key's leases are read-only whatever was asked; read-only leases go to a replica
        boolean readOnlyLease = askedReadOnly || access.readOnly();
        Route route = readOnlyLease ? Route.READ : Route.WRITE;
        return Uni.createFrom().completionStage(sessions.open(entry, Owners.of(http),
                new SessionLease.Holder(access.holder(), readOnlyLease), idle, life, route,
                entry.kind() == Kind.POSTGRES ? access.login() : null))
                .map(session -> Response.created(URI.create("/api/v1/sessions/" + session.id()))
                        .entity(SessionView.of(session)).build());
    }

    @GET
    @Path("/sessions/{id}")
    @Operation(summary = "Show a session lease")
    @APIResponse(responseCode = "200", description = "The lease")
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @APIResponse(responseCode = "410", ref = ApiSchemas.SESSION_ENDED)
    public SessionView get(@PathParam("id") String id) {
        return SessionView.of(sessions.get(id, access.holder()));
    }

    /** Rolls back whatever is open, resets the connection and returns it to the pool. */
    @DELETE
    @Path("/sessions/{id}")
    @Operation(summary = "Release a session lease")
    @APIResponse(responseCode = "204", description = "Released: rolled back, reset and returned to the pool")
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @APIResponse(responseCode = "410", ref = ApiSchemas.SESSION_ENDED)
    public Response release(@PathParam("id") String id) {
        sessions.release(id, access.holder());
        return Response.noContent().build();
    }

    /** Runs one statement on the lease; BEGIN / COMMIT / SAVEPOINT / SET are the client's to use. */
    @POST
    @Path("/sessions/{id}/query")
    @Operation(summary = "Run one SQL statement on a session lease")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiSchemas.SessionQueryBody.class)))
    @APIResponse(responseCode = "200", description = "The statement's columns and rows", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.QueryResult.class)))
    @APIResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiSchemas.SESSION_BUSY)
    @APIResponse(responseCode = "410", ref = ApiSchemas.SESSION_ENDED)
    @APIResponse(responseCode = "413", ref = ApiSchemas.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = ApiSchemas.UNPROCESSABLE)
    @APIResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    @APIResponse(responseCode = "504", ref = ApiSchemas.STATEMENT_TIMEOUT)
    @APIResponse(responseCode = "507", ref = ApiSchemas.RESULT_TOO_LARGE)
    public Uni<byte[]> query(@PathParam("id") String id, byte[] body) {
        QueryRequest.Single query = QueryRequest.onSession(bodies.parse(body, QueryRequest.SESSION_EXAMPLE));
        AtomicReference<SessionLease> running = new AtomicReference<>();
        return SessionCall.<PgConnection, QueryResult>run(sessions, id, access.holder(), Kind.POSTGRES,
                session -> deadlines.sql(session.pool().name(), 1),
                session -> {
                    running.set(session);
                    var lease = session.<PgConnection>lease();
                    lease.describe("session " + id + ": " + query.statement().summary());
                    // a read-only lease runs each statement in a read-only transaction of its own
                    return PgStatements.execute(lease.connection(), query.statement(), query.rowMode(), limits,
                            session.readOnly());
                },
                (result, error) -> PgStatements.outcome(List.of(query.statement()), error))
                .onFailure().transform(error -> {
                    SessionLease session = running.get();
                    return session == null ? error : scoped(session.pool().name(), session.readOnly(), error);
                })
                .map(QueryResult::json);
    }

    /** Runs one Redis command on the lease; WATCH / MULTI / EXEC are allowed. */
    @POST
    @Path("/sessions/{id}/command")
    @Operation(summary = "Run one Redis command on a session lease")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
            type = SchemaType.ARRAY, implementation = String.class, minItems = 1, description = "The command and its "
                    + "arguments; WATCH, MULTI and EXEC are allowed", example = "[\"MULTI\"]")))
    @APIResponse(responseCode = "200", description = "The command's reply")
    @APIResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiSchemas.SESSION_BUSY)
    @APIResponse(responseCode = "410", ref = ApiSchemas.SESSION_ENDED)
    @APIResponse(responseCode = "413", ref = ApiSchemas.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = ApiSchemas.UNPROCESSABLE)
    @APIResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Uni<RedisResource.CommandResult> command(@PathParam("id") String id, byte[] body,
            @Parameter(description = "base64: string replies come as base64, for binary values")
            @HeaderParam(RedisResource.ENCODING) String encoding) {
        JsonNode command = bodies.parse(body, "[\"GET\", \"key\"]");
        var request = RedisCommands.request(command, true);
        boolean base64 = RedisResource.base64(encoding);
        List<String> names = RedisCommands.names(command, true);
        List<List<String>> heads = RedisCommands.heads(command, true);
        AtomicReference<SessionLease> running = new AtomicReference<>();
        return SessionCall.<RedisLink, RedisResource.CommandResult>run(sessions, id, access.holder(), Kind.REDIS,
                session -> deadlines.redis(session.pool().name()),
                session -> {
                    running.set(session);
                    var lease = session.<RedisLink>lease();
                    return readOnly.checkIf(session.readOnly(), lease, heads)
                            .thenCompose(ok -> RedisCommands.send(lease.connection(), request, base64))
                            .thenApply(RedisResource.CommandResult::new);
                },
                (result, error) -> RedisCommands.outcome(names, error))
                .onFailure().transform(error -> {
                    SessionLease session = running.get();
                    return session == null ? error : scoped(session.pool().name(), session.readOnly(), error);
                });
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
