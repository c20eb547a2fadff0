package io.poolgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.pool.Pools;
import io.poolgate.postgres.PgStatements;
import io.poolgate.postgres.QueryResult;
import io.poolgate.postgres.ResultLimits;
import io.poolgate.redis.RedisCommands;
import io.poolgate.redis.RedisLink;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Work on a session lease: a connection pinned to the client across requests, for interactive
 * transactions (BEGIN on one request, COMMIT on a later one) and session state. Leases are opened
 * by {@link SessionOpenResource}.
 */
@Path("/api/v1/sessions/{id}")
@Produces(MediaType.APPLICATION_JSON)
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

    private final Sessions sessions;
    private final JsonBodies bodies;
    private final ResultLimits limits;

    SessionResource(Sessions sessions, JsonBodies bodies, io.poolgate.config.PoolgateConfig config) {
        this.sessions = sessions;
        this.bodies = bodies;
        this.limits = new ResultLimits(config.limits().maxRows(), config.limits().maxResponseBytes().asLongValue());
    }

    @GET
    public SessionView get(@PathParam("id") String id) {
        return SessionView.of(sessions.get(id));
    }

    /** Rolls back whatever is open, resets the connection and returns it to the pool. */
    @DELETE
    public Response release(@PathParam("id") String id) {
        sessions.release(id);
        return Response.noContent().build();
    }

    /** Runs one statement on the lease; BEGIN / COMMIT / SAVEPOINT / SET are the client's to use. */
    @POST
    @Path("/query")
    public Uni<byte[]> query(@PathParam("id") String id, byte[] body) {
        QueryRequest.Single query = QueryRequest.onSession(bodies.parse(body, QueryRequest.SESSION_EXAMPLE));
        AtomicReference<SessionLease> running = new AtomicReference<>();
        return interruptible(sessions.use(id, session -> {
            requireKind(session, Kind.POSTGRES);
            running.set(session);
            var lease = session.<PgConnection>lease();
            lease.describe("session " + id + ": " + query.statement().summary());
            long start = System.nanoTime();
            return PgStatements.execute(lease.connection(), query.statement(), query.rowMode(), limits, false)
                    .whenComplete((result, error) -> lease.recordRequest(System.nanoTime() - start, error != null));
        }), running).map(QueryResult::json);
    }

    /** Runs one Redis command on the lease; WATCH / MULTI / EXEC are allowed. */
    @POST
    @Path("/command")
    public Uni<RedisResource.CommandResult> command(@PathParam("id") String id, byte[] body,
            @HeaderParam(RedisResource.ENCODING) String encoding) {
        JsonNode command = bodies.parse(body, "[\"GET\", \"key\"]");
        var request = RedisCommands.request(command, true);
        boolean base64 = RedisResource.base64(encoding);
        return Uni.createFrom().completionStage(sessions.use(id, session -> {
            requireKind(session, Kind.REDIS);
            var lease = session.<RedisLink>lease();
            long start = System.nanoTime();
            return RedisCommands.send(lease.connection(), request, base64)
                    .whenComplete((result, error) -> lease.recordRequest(System.nanoTime() - start, error != null))
                    .thenApply(RedisResource.CommandResult::new);
        }));
    }

    /** When the client hangs up mid-statement, the statement is cancelled; the lease stays open. */
    private static Uni<QueryResult> interruptible(CompletionStage<QueryResult> work,
            AtomicReference<SessionLease> running) {
        CompletableFuture<QueryResult> future = work.toCompletableFuture();
        return Uni.createFrom().completionStage(future).onCancellation().invoke(() -> {
            SessionLease session = running.get();
            if (session != null && !future.isDone()) {
                session.<PgConnection>lease().connection().cancelRequest();
            }
        });
    }

    private static void requireKind(SessionLease session, Kind kind) {
        if (session.pool().kind() != kind) {
            throw ProblemException.badRequest("session " + session.id() + " is on " + session.pool().kind().name()
                    .toLowerCase() + " pool '" + session.pool().name() + "'; use /sessions/{id}/"
                    + (kind == Kind.POSTGRES ? "command" : "query"));
        }
    }
}
