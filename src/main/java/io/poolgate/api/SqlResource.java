package io.poolgate.api;

import io.poolgate.config.PoolgateConfig;
import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.topology.Cluster;
import io.poolgate.topology.Pools;
import io.poolgate.topology.RoleLogin;
import io.poolgate.topology.Route;
import io.poolgate.postgres.PgStatements;
import io.poolgate.postgres.QueryResult;
import io.poolgate.postgres.ResultLimits;
import io.poolgate.security.Access;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgConnection;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * SQL over HTTP: a statement, or a batch in one transaction, on a connection lent for just that
 * request. Bodies are parsed here (not by the framework) so every bad input gets a precise 400.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "SQL", description = "Statements and batches on a PostgreSQL connection lent for one request")
public class SqlResource {

    /** The response header naming the node that ran the statement. */
    static final String NODE_HEADER = "Poolgate-Node";

    private final Pools pools;
    private final JsonBodies bodies;
    private final ResultLimits limits;
    private final Deadlines deadlines;
    private final Access access;

    SqlResource(Pools pools, JsonBodies bodies, PoolgateConfig config, Deadlines deadlines, Access access) {
        this.pools = pools;
        this.bodies = bodies;
        this.limits = ResultLimits.of(config);
        this.deadlines = deadlines;
        this.access = access;
    }

    private Cluster<PgConnection> cluster(String pool) {
        return pools.get(pool, Kind.POSTGRES);
    }

    /** A write PostgreSQL refused to a read-scope request is the scope's 403, not an SQL error. */
    private Throwable scoped(String pool, boolean readScope, Throwable error) {
        return readScope && PgStatements.refusedWrite(error)
                ? access.readOnlyRefusal(pool, PgStatements.refusalText(error)) : error;
    }

    /** Runs {@code {sql, params?, readOnly?, rowMode?}}; answers {@code {columns, rows, rowCount, durationMs}}. */
    @POST
    @Path("/pools/{pool}/query")
    @Operation(summary = "Run one SQL statement")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiSchemas.QueryBody.class)))
    @APIResponse(responseCode = "200", description = "The statement's columns and rows", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.QueryResult.class)))
    @APIResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiSchemas.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = ApiSchemas.UNPROCESSABLE)
    @APIResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    @APIResponse(responseCode = "504", ref = ApiSchemas.STATEMENT_TIMEOUT)
    @APIResponse(responseCode = "507", ref = ApiSchemas.RESULT_TOO_LARGE)
    public Uni<byte[]> query(@PathParam("pool") String pool, byte[] body, @Context RoutingContext rc) {
        return LeasedCall.uni(answer -> query(pool, body, rc, answer));
    }

    /**
     * Starts {@code POST /pools/{pool}/query} (for the JAX-RS method above and for {@link DirectRoutes}):
     * {@code answer} is told the response body or the failure, once; the action returned abandons the
     * call when the client goes away. Bad input throws.
     */
    Runnable query(String pool, byte[] body, RoutingContext rc, BiConsumer<byte[], Throwable> answer) {
        Cluster<PgConnection> target = cluster(pool);
        QueryRequest.Single query = QueryRequest.single(bodies.parse(body, QueryRequest.EXAMPLE));
        boolean readScope = access.readOnly(rc);
        HttpServerRequest http = rc.request();
        var owner = Owners.of(http);
        // read-only work (asked for, or all a read key may do) goes to a replica when one can take it
        Route route = query.readOnly() || readScope ? Route.READ : Route.WRITE;
        // credentials mapped to a database role are served by connections that logged in as it
        RoleLogin login = access.login(rc);
        return LeasedCall.start(() -> target.acquire(owner, route, login), new LeasedCall.Job<PgConnection, byte[]>(
                lease -> {
                    lease.describe(query.statement().activity());
                    http.response().putHeader(NODE_HEADER, lease.node().name());
                    // a read scope's connection is reset after use anyway, and the reset's ROLLBACK ends the
                    // transaction; a client's readOnly flag commits, so the connection can come back clean
                    return (readScope
                            ? PgStatements.executeReadOnly(lease.connection(), query.statement(), query.rowMode(), limits)
                            : PgStatements.execute(lease.connection(), query.statement(), query.rowMode(), limits,
                                    query.readOnly()))
                            .thenApply(QueryResult::json);
                },
                (result, error) -> PgStatements.outcome(List.of(query.statement()), error, readScope),
                error -> !query.readOnly() && !readScope,
                deadlines.sql(pool, 1)),
                readScope ? (result, error) -> answer.accept(result, error == null ? null : scoped(pool, true, error))
                        : answer)::abandon;
    }

    /**
     * Runs {@code {statements: [{sql, params}], isolation?, readOnly?, rowMode?}} in one transaction
     * on one connection: all or nothing. Answers {@code {results: [...], durationMs}}; a failure names
     * the statement's index ({@code statementIndex}).
     */
    @POST
    @Path("/pools/{pool}/batch")
    @Operation(summary = "Run several SQL statements in one transaction")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiSchemas.BatchBody.class)))
    @APIResponse(responseCode = "200", description = "Each statement's result", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.BatchResult.class)))
    @APIResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiSchemas.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = ApiSchemas.UNPROCESSABLE)
    @APIResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    @APIResponse(responseCode = "504", ref = ApiSchemas.STATEMENT_TIMEOUT)
    @APIResponse(responseCode = "507", ref = ApiSchemas.RESULT_TOO_LARGE)
    public Uni<byte[]> batch(@PathParam("pool") String pool, byte[] body, @Context RoutingContext rc) {
        Cluster<PgConnection> target = cluster(pool);
        QueryRequest.Batch batch = QueryRequest.batch(bodies.parse(body, QueryRequest.BATCH_EXAMPLE));
        boolean readScope = access.readOnly(rc);
        HttpServerRequest http = rc.request();
        long start = System.nanoTime();
        var owner = Owners.of(http);
        Route route = batch.readOnly() || readScope ? Route.READ : Route.WRITE;
        RoleLogin login = access.login(rc);
        return LeasedCall.run(() -> target.acquire(owner, route, login), new LeasedCall.Job<>(
                lease -> {
                    lease.describe("batch of " + batch.statements().size() + ": "
                            + batch.statements().get(0).summary());
                    http.response().putHeader(NODE_HEADER, lease.node().name());
                    return PgStatements.batch(lease.connection(), batch.statements(), batch.isolation(),
                            readScope || batch.readOnly(), batch.rowMode(), limits);
                },
                (results, error) -> PgStatements.outcome(batch.statements(), error, readScope),
                // a statement's failure inside the transaction means it never committed
                error -> !batch.readOnly() && !readScope && !(error instanceof io.poolgate.postgres.BatchException),
                deadlines.sql(pool, batch.statements().size())))
                .onFailure().transform(error -> scoped(pool, readScope, error))
                .map(results -> PgStatements.batchJson(results, System.nanoTime() - start));
    }
}
