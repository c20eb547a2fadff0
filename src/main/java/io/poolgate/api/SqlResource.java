package io.poolgate.api;

import io.poolgate.config.PoolgateConfig;
import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.pool.Pool;
import io.poolgate.pool.Pools;
import io.poolgate.postgres.PgStatements;
import io.poolgate.postgres.QueryResult;
import io.poolgate.postgres.ResultLimits;
import io.poolgate.security.Access;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgConnection;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
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

    private final Pools pools;
    private final JsonBodies bodies;
    private final ResultLimits limits;
    private final Access access;

    SqlResource(Pools pools, JsonBodies bodies, PoolgateConfig config, Access access) {
        this.pools = pools;
        this.bodies = bodies;
        this.limits = ResultLimits.of(config);
        this.access = access;
    }

    /**
     * The pool's engine for this request. Role logins (issue 11): {@code access.role()} names the
     * role whose connections serve the request; this is where its engine is picked.
     */
    private Pool<PgConnection> engine(String pool) {
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
    public Uni<byte[]> query(@PathParam("pool") String pool, byte[] body, @Context HttpServerRequest http) {
        Pool<PgConnection> target = engine(pool);
        QueryRequest.Single query = QueryRequest.single(bodies.parse(body, QueryRequest.EXAMPLE));
        boolean readScope = access.readOnly();
        return LeasedCall.run(target, Owners.of(http),
                lease -> {
                    lease.describe(query.statement().summary());
                    // a read scope's connection is reset after use anyway, and the reset's ROLLBACK ends the
                    // transaction; a client's readOnly flag commits, so the connection can come back clean
                    return readScope
                            ? PgStatements.executeReadOnly(lease.connection(), query.statement(), query.rowMode(), limits)
                            : PgStatements.execute(lease.connection(), query.statement(), query.rowMode(), limits,
                                    query.readOnly());
                },
                (result, error) -> PgStatements.outcome(List.of(query.statement()), error, readScope),
                LeasedCall::cancelStatement)
                .onFailure().transform(error -> scoped(pool, readScope, error))
                .map(QueryResult::json);
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
    public Uni<byte[]> batch(@PathParam("pool") String pool, byte[] body, @Context HttpServerRequest http) {
        Pool<PgConnection> target = engine(pool);
        QueryRequest.Batch batch = QueryRequest.batch(bodies.parse(body, QueryRequest.BATCH_EXAMPLE));
        boolean readScope = access.readOnly();
        long start = System.nanoTime();
        return LeasedCall.run(target, Owners.of(http),
                lease -> {
                    lease.describe("batch of " + batch.statements().size() + ": "
                            + batch.statements().get(0).summary());
                    return PgStatements.batch(lease.connection(), batch.statements(), batch.isolation(),
                            readScope || batch.readOnly(), batch.rowMode(), limits);
                },
                (results, error) -> PgStatements.outcome(batch.statements(), error, readScope),
                LeasedCall::cancelStatement)
                .onFailure().transform(error -> scoped(pool, readScope, error))
                .map(results -> PgStatements.batchJson(results, System.nanoTime() - start));
    }
}
