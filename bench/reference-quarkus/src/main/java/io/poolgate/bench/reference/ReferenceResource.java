package io.poolgate.bench.reference;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Quarkus developer writes to serve a query and a cache read as JSON: the injected reactive
 * PostgreSQL pool and Redis client, non-blocking (methods returning {@link Uni} run on the event loop).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
final class ReferenceResource {

    /** One row of {@code bench_rows}, the 100k-row table the harness fills. */
    record Item(int id, String name, int score, OffsetDateTime createdAt) {
        static Item of(Row row) {
            return new Item(row.getInteger("id"), row.getString("name"), row.getInteger("score"),
                    row.getOffsetDateTime("created_at"));
        }
    }

    /** The answer of {@code SELECT 1}. */
    record One(int value) {
    }

    /** A Redis value; {@code null} when the key is missing. */
    record Value(String result) {
    }

    private final Pool client;
    private final ReactiveValueCommands<String, String> values;

    ReferenceResource(Pool client, ReactiveRedisDataSource redis) {
        this.client = client;
        this.values = redis.value(String.class);
    }

    @GET
    @Path("select1")
    public Uni<One> selectOne() {
        return client.preparedQuery("SELECT 1").execute()
                .map(rows -> new One(rows.iterator().next().getInteger(0)));
    }

    @GET
    @Path("rows")
    public Uni<List<Item>> rows(@QueryParam("from") int from) {
        return client.preparedQuery("SELECT id, name, score, created_at FROM bench_rows WHERE id >= $1 ORDER BY id LIMIT 10")
                .execute(Tuple.of(from))
                .map(rows -> {
                    List<Item> items = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        items.add(Item.of(row));
                    }
                    return items;
                });
    }

    @GET
    @Path("redis/{key}")
    public Uni<Value> get(@PathParam("key") String key) {
        return values.get(key).map(Value::new);
    }
}
