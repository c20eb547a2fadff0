package io.poolgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.pool.Pool;
import io.poolgate.pool.Pools;
import io.poolgate.redis.RedisCommands;
import io.poolgate.redis.RedisLink;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.redis.client.Request;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletableFuture;

/** Redis over HTTP: one command per request on a connection lent for just that command. */
@Path("/api/v1/pools/{pool}")
public class RedisResource {

    /** The reply of one command. */
    @RegisterForReflection
    public record CommandResult(Object result) {
    }

    private final Pools pools;
    private final JsonBodies bodies;

    RedisResource(Pools pools, JsonBodies bodies) {
        this.pools = pools;
        this.bodies = bodies;
    }

    /** Runs {@code ["SET", "k", "v"]} and answers {@code {result}}. */
    @POST
    @Path("/command")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<CommandResult> command(@PathParam("pool") String pool, byte[] body, @Context HttpServerRequest http) {
        Pool<RedisLink> target = pools.get(pool, Kind.REDIS);
        JsonNode command = bodies.parse(body, "[\"GET\", \"key\"]");
        Request request = RedisCommands.request(command);
        return LeasedCall.run(target, Owners.of(http),
                lease -> {
                    lease.describe(command.get(0).asText());
                    return RedisCommands.send(lease.connection(), request).thenApply(CommandResult::new);
                },
                (result, error) -> RedisCommands.outcome(command, error),
                lease -> CompletableFuture.completedFuture(null));
    }
}
