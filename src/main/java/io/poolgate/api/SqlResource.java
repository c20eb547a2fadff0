package io.poolgate.api;

import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.pool.Pool;
import io.poolgate.pool.Pools;
import io.poolgate.postgres.PgStatements;
import io.poolgate.postgres.QueryResult;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgConnection;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/** SQL over HTTP: one statement per request on a connection lent for just that statement. */
@Path("/api/v1/pools/{pool}")
public class SqlResource {

    private final Pools pools;
    private final JsonBodies bodies;

    SqlResource(Pools pools, JsonBodies bodies) {
        this.pools = pools;
        this.bodies = bodies;
    }

    /** Runs {@code {sql, params}} and answers {@code {columns, rows, rowCount, durationMs}}. */
    @POST
    @Path("/query")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<QueryResult> query(@PathParam("pool") String pool, byte[] body, @Context HttpServerRequest http) {
        Pool<PgConnection> target = pools.get(pool, Kind.POSTGRES);
        QueryRequest query = QueryRequest.from(bodies.parse(body, QueryRequest.EXAMPLE));
        return LeasedCall.run(target, Owners.of(http),
                lease -> {
                    lease.describe(query.summary());
                    return PgStatements.execute(lease.connection(), query.sql(), query.params());
                },
                (result, error) -> PgStatements.outcome(query.sql(), error),
                lease -> lease.connection().cancelRequest().toCompletionStage());
    }
}
