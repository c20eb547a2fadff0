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
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * Redis over HTTP: a command, or a pipeline of them, on a connection lent for just that request.
 * {@code Upstash-Encoding: base64} makes string replies base64, for binary values.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RedisResource {

    static final String ENCODING = "Upstash-Encoding";

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

    /** Runs {@code ["SET", "k", "v"]}; answers {@code {result}}. */
    @POST
    @Path("/pools/{pool}/command")
    public Uni<CommandResult> command(@PathParam("pool") String pool, byte[] body,
            @HeaderParam(ENCODING) String encoding, @Context HttpServerRequest http) {
        Pool<RedisLink> target = pools.get(pool, Kind.REDIS);
        JsonNode command = bodies.parse(body, "[\"GET\", \"key\"]");
        Request request = RedisCommands.request(command, false);
        boolean base64 = base64(encoding);
        List<String> names = RedisCommands.names(command, true);
        return LeasedCall.run(target, Owners.of(http),
                lease -> {
                    lease.describe(names.get(0));
                    return RedisCommands.send(lease.connection(), request, base64).thenApply(CommandResult::new);
                },
                (result, error) -> RedisCommands.outcome(names, error),
                LeasedCall::nothingToInterrupt);
    }

    /**
     * Runs {@code [["SET","a","1"], ["GET","a"]]} in order in one round trip; answers one
     * {@code {result}} or {@code {error}} per command. {@code ?atomic=true} wraps them in MULTI/EXEC.
     */
    @POST
    @Path("/pools/{pool}/pipeline")
    public Uni<List<Map<String, Object>>> pipeline(@PathParam("pool") String pool, byte[] body,
            @QueryParam("atomic") @DefaultValue("false") String atomic, @HeaderParam(ENCODING) String encoding,
            @Context HttpServerRequest http) {
        Pool<RedisLink> target = pools.get(pool, Kind.REDIS);
        boolean transaction = flag("atomic", atomic);
        JsonNode commands = bodies.parse(body, "[[\"SET\", \"k\", \"v\"], [\"GET\", \"k\"]]");
        List<Request> requests = RedisCommands.pipeline(commands);
        boolean base64 = base64(encoding);
        List<String> names = RedisCommands.names(commands, false);
        return LeasedCall.run(target, Owners.of(http),
                lease -> {
                    lease.describe((transaction ? "transaction of " : "pipeline of ") + requests.size());
                    return transaction ? RedisCommands.transaction(lease.connection(), requests, base64)
                            : RedisCommands.pipeline(lease.connection(), requests, base64);
                },
                (result, error) -> RedisCommands.outcome(names, error),
                LeasedCall::nothingToInterrupt);
    }

    static boolean base64(String encoding) {
        if (encoding == null || encoding.isBlank()) {
            return false;
        }
        if (encoding.trim().equalsIgnoreCase("base64")) {
            return true;
        }
        throw ProblemException.badRequest("header " + ENCODING + " must be base64 when set, got '" + encoding + "'");
    }

    static boolean flag(String name, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.badRequest("query parameter '" + name + "' must be true or false, got '"
                    + value + "'");
        };
    }
}
