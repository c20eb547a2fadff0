package io.poolgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.topology.Cluster;
import io.poolgate.topology.Pools;
import io.poolgate.topology.Route;
import io.poolgate.redis.Multiplexers;
import io.poolgate.redis.ReadOnlyCommands;
import io.poolgate.redis.RedisCommands;
import io.poolgate.redis.RedisLink;
import io.poolgate.redis.WriteRefusedException;
import io.poolgate.security.Access;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
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
import java.util.function.BiConsumer;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Redis over HTTP: a command, or a pipeline of them, on a connection lent for just that request;
 * a stateless command of a pool that multiplexes runs on a connection shared with other requests'
 * commands instead ({@link io.poolgate.redis.Multiplexer}). {@code Upstash-Encoding: base64} makes string replies
 * base64, for binary values.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Redis", description = "Commands and pipelines on a Redis connection lent for one request")
public class RedisResource {

    static final String ENCODING = "Upstash-Encoding";

    /** The reply of one command. */
    @RegisterForReflection
    @Schema(name = "CommandResult", description = "The command's reply")
    public record CommandResult(@Schema(description = "A string (base64 with Upstash-Encoding), integer, array or "
            + "null for nil") Object result) {
    }

    private final Pools pools;
    private final JsonBodies bodies;
    private final Deadlines deadlines;
    private final Access access;
    private final ReadOnlyCommands readOnly;
    private final Multiplexers multiplexers;

    RedisResource(Pools pools, JsonBodies bodies, Deadlines deadlines, Access access, ReadOnlyCommands readOnly,
            Multiplexers multiplexers) {
        this.multiplexers = multiplexers;
        this.pools = pools;
        this.bodies = bodies;
        this.deadlines = deadlines;
        this.access = access;
        this.readOnly = readOnly;
    }

    private Throwable scoped(String pool, Throwable error) {
        return error instanceof WriteRefusedException refused ? access.readOnlyRefusal(pool, refused.getMessage())
                : error;
    }

    /** Runs {@code ["SET", "k", "v"]}; answers {@code {result}}. */
    @POST
    @Path("/pools/{pool}/command")
    @Operation(summary = "Run one Redis command")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
            type = SchemaType.ARRAY, implementation = String.class, minItems = 1, description = "The command and its "
                    + "arguments; numbers and booleans are sent as their text", example = "[\"SET\", \"greeting\", \"hello\"]")))
    @APIResponse(responseCode = "200", description = "The command's reply")
    @APIResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiSchemas.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = ApiSchemas.UNPROCESSABLE)
    @APIResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Uni<CommandResult> command(@PathParam("pool") String pool, byte[] body,
            @Parameter(description = "base64: string replies come as base64, for binary values")
            @HeaderParam(ENCODING) String encoding, @Context RoutingContext rc) {
        return LeasedCall.uni(answer -> command(pool, body, encoding, rc, answer));
    }

    /**
     * Starts {@code POST /pools/{pool}/command} (for the JAX-RS method above and for {@link DirectRoutes}):
     * {@code answer} is told the reply or the failure, once; the action returned abandons the call when
     * the client goes away. Bad input throws.
     */
    Runnable command(String pool, byte[] body, String encoding, RoutingContext rc,
            BiConsumer<CommandResult, Throwable> answer) {
        Cluster<RedisLink> target = pools.get(pool, Kind.REDIS);
        JsonNode command = bodies.parse(body, "[\"GET\", \"key\"]");
        Request request = RedisCommands.request(command, false);
        boolean base64 = base64(encoding);
        List<String> names = RedisCommands.names(command, true);
        boolean readScope = access.readOnly(rc);
        List<List<String>> heads = RedisCommands.heads(command, true);
        BiConsumer<Object, Throwable> reply = (result, error) -> answer.accept(error == null ? new CommandResult(result)
                : null, error == null ? null : scoped(pool, error));
        if (SharedCall.start(multiplexers.of(pool), names.get(0), deadlines.redis(pool),
                lease -> readOnly.checkIf(readScope, lease, heads)
                        .thenCompose(ok -> RedisCommands.send(lease.connection(), request, base64)), reply)) {
            return SharedCall.NOTHING_TO_ABANDON;
        }
        var owner = Owners.of(rc.request());
        return LeasedCall.start(() -> target.acquire(owner, Route.WRITE), new LeasedCall.Job<RedisLink, Object>(
                lease -> {
                    lease.describe(names.get(0));
                    return readOnly.checkIf(readScope, lease, heads).thenCompose(ok ->
                            RedisCommands.send(lease.connection(), request, base64));
                },
                (result, error) -> RedisCommands.outcome(names, error),
                error -> true,
                deadlines.redis(pool)), reply)::abandon;
    }

    /**
     * Runs {@code [["SET","a","1"], ["GET","a"]]} in order in one round trip; answers one
     * {@code {result}} or {@code {error}} per command. {@code ?atomic=true} wraps them in MULTI/EXEC.
     */
    @POST
    @Path("/pools/{pool}/pipeline")
    @Operation(summary = "Run several Redis commands in order, in one round trip")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
            type = SchemaType.ARRAY, implementation = String[].class, minItems = 1, maxItems = RedisCommands.MAX_PIPELINE,
            description = "Commands, each an array of the command and its arguments",
            example = "[[\"SET\", \"k\", \"v\"], [\"GET\", \"k\"]]")))
    @APIResponse(responseCode = "200", description = "One reply per command, in order", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY,
                    implementation = ApiSchemas.PipelineReply.class)))
    @APIResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiSchemas.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = ApiSchemas.UNPROCESSABLE)
    @APIResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Uni<List<Map<String, Object>>> pipeline(@PathParam("pool") String pool, byte[] body,
            @Parameter(description = "true wraps the commands in MULTI/EXEC: all run, or none",
                    schema = @Schema(enumeration = { "true", "false" }, defaultValue = "false"))
            @QueryParam("atomic") @DefaultValue("false") String atomic,
            @Parameter(description = "base64: string replies come as base64, for binary values")
            @HeaderParam(ENCODING) String encoding, @Context RoutingContext rc) {
        Cluster<RedisLink> target = pools.get(pool, Kind.REDIS);
        boolean transaction = flag("atomic", atomic);
        JsonNode commands = bodies.parse(body, "[[\"SET\", \"k\", \"v\"], [\"GET\", \"k\"]]");
        List<Request> requests = RedisCommands.pipeline(commands);
        boolean base64 = base64(encoding);
        List<String> names = RedisCommands.names(commands, false);
        boolean readScope = access.readOnly(rc);
        List<List<String>> heads = RedisCommands.heads(commands, false);
        var owner = Owners.of(rc.request());
        return LeasedCall.run(() -> target.acquire(owner, Route.WRITE), new LeasedCall.Job<>(
                lease -> {
                    lease.describe((transaction ? "transaction of " : "pipeline of ") + requests.size());
                    return readOnly.checkIf(readScope, lease, heads).thenCompose(ok -> transaction
                            ? RedisCommands.transaction(lease.connection(), requests, base64)
                            : RedisCommands.pipeline(lease.connection(), requests, base64));
                },
                (result, error) -> RedisCommands.outcome(names, error),
                error -> true,
                deadlines.redis(pool)))
                .onFailure().transform(error -> scoped(pool, error));
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
