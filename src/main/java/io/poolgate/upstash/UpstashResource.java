package io.poolgate.upstash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolgate.api.LeasedCall;
import io.poolgate.api.Owners;
import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.api.Deadlines;
import io.poolgate.pool.Owner;
import io.poolgate.topology.Cluster;
import io.poolgate.topology.Pools;
import io.poolgate.topology.Route;
import io.poolgate.api.SharedCall;
import io.poolgate.redis.Multiplexer;
import io.poolgate.redis.Multiplexers;
import io.poolgate.redis.ReadOnlyCommands;
import io.poolgate.redis.RedisCommands;
import io.poolgate.redis.RedisCommands.Strings;
import io.poolgate.redis.RedisLink;
import io.poolgate.redis.WriteRefusedException;
import io.poolgate.security.Access;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.redis.client.Request;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The Upstash Redis REST API, per pool, for {@code @upstash/redis} with
 * {@code url: 'http://gateway:8080/upstash/<pool>'}: one command, a pipeline (in order, not
 * atomic), or a transaction (MULTI/EXEC on one connection), each on a connection lent for the
 * request (a stateless single command on a shared one when the pool multiplexes, {@link Multiplexer}).
 * With {@code Upstash-Encoding: base64} (the client's default) every string of the answer
 * is base64, status replies too; errors never are.
 */
@Path(UpstashErrors.PATH + "/{pool}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Upstash", description = "The Upstash Redis REST API, for @upstash/redis")
public class UpstashResource {

    static final String ENCODING = "Upstash-Encoding";

    private final Pools pools;
    private final UpstashCommands commands;
    private final UpstashErrors errors;
    private final SyncTokens tokens;
    private final ObjectMapper mapper;
    private final Deadlines deadlines;
    private final Access access;
    private final ReadOnlyCommands readOnly;
    private final Multiplexers multiplexers;

    UpstashResource(Pools pools, UpstashCommands commands, UpstashErrors errors, SyncTokens tokens,
            ObjectMapper mapper, Deadlines deadlines, Access access, ReadOnlyCommands readOnly,
            Multiplexers multiplexers) {
        this.multiplexers = multiplexers;
        this.pools = pools;
        this.commands = commands;
        this.errors = errors;
        this.tokens = tokens;
        this.mapper = mapper;
        this.deadlines = deadlines;
        this.access = access;
        this.readOnly = readOnly;
    }

    /** Runs {@code ["SET", "k", "v"]}; answers {@code {"result": ...}}. */
    @POST
    @Operation(summary = "Run one Redis command (Upstash format)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
            type = SchemaType.ARRAY, implementation = String.class, minItems = 1, description = "The command and its "
                    + "arguments: strings, numbers or booleans", example = "[\"SET\", \"greeting\", \"hello\", \"EX\", 10]")))
    @APIResponse(responseCode = "200", description = "The command's reply", headers = @Header(name = SyncTokens.HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
                    implementation = UpstashSchemas.Result.class)))
    @APIResponse(responseCode = "400", ref = UpstashSchemas.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = UpstashSchemas.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = UpstashSchemas.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = UpstashSchemas.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "503", ref = UpstashSchemas.UNAVAILABLE)
    public Uni<Response> command(@PathParam("pool") String pool, byte[] body,
            @Parameter(description = "Bearer <token>") @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "base64: every string of the answer is base64")
            @HeaderParam(ENCODING) String encoding, @Context HttpServerRequest http) {
        UpstashCredentials.of(authorization);
        Strings strings = strings(encoding);
        UpstashCommands.Command command = commands.command(body);
        boolean readScope = access.readOnly();
        Uni<Object> shared = SharedCall.run(multiplexers.of(pool), command.name(), deadlines.redis(pool),
                lease -> readOnly.checkIf(readScope, lease, List.of(command.head()))
                        .thenCompose(ok -> RedisCommands.send(lease.connection(), command.request(), strings)));
        if (shared != null) {
            return shared.onFailure(WriteRefusedException.class)
                    .transform(error -> access.readOnlyRefusal(pool, error.getMessage()))
                    .map(result -> ok(Collections.singletonMap("result", result)));
        }
        return onConnection(pool, http, command.name(), List.of(command),
                link -> RedisCommands.send(link, command.request(), strings))
                .map(result -> ok(Collections.singletonMap("result", result)));
    }

    /** Runs {@code [["SET","a","1"], ["GET","a"]]} in order; answers one {@code {result}} or {@code {error}} each. */
    @POST
    @Path("/pipeline")
    @Operation(summary = "Run Redis commands in order, in one round trip, not atomically (Upstash format)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
            type = SchemaType.ARRAY, implementation = String[].class, minItems = 1,
            maxItems = RedisCommands.MAX_PIPELINE, example = "[[\"SET\", \"k\", \"v\"], [\"GET\", \"k\"]]")))
    @APIResponse(responseCode = "200", description = "One entry per command, in order",
            headers = @Header(name = SyncTokens.HEADER), content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = UpstashSchemas.Entry.class)))
    @APIResponse(responseCode = "400", ref = UpstashSchemas.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = UpstashSchemas.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = UpstashSchemas.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = UpstashSchemas.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "503", ref = UpstashSchemas.UNAVAILABLE)
    public Uni<Response> pipeline(@PathParam("pool") String pool, byte[] body,
            @Parameter(description = "Bearer <token>") @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "base64: every string of the answer is base64")
            @HeaderParam(ENCODING) String encoding, @Context HttpServerRequest http) {
        return many(pool, body, authorization, encoding, http, false);
    }

    /** Runs the commands between MULTI and EXEC on one connection: all of them, or none. */
    @POST
    @Path("/multi-exec")
    @Operation(summary = "Run Redis commands atomically, MULTI/EXEC (Upstash format)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
            type = SchemaType.ARRAY, implementation = String[].class, minItems = 1,
            maxItems = RedisCommands.MAX_PIPELINE, example = "[[\"INCR\", \"n\"], [\"GET\", \"n\"]]")))
    @APIResponse(responseCode = "200", description = "One entry per command, in order",
            headers = @Header(name = SyncTokens.HEADER), content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = UpstashSchemas.Entry.class)))
    @APIResponse(responseCode = "400", ref = UpstashSchemas.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = UpstashSchemas.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = UpstashSchemas.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = UpstashSchemas.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "503", ref = UpstashSchemas.UNAVAILABLE)
    public Uni<Response> multiExec(@PathParam("pool") String pool, byte[] body,
            @Parameter(description = "Bearer <token>") @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "base64: every string of the answer is base64")
            @HeaderParam(ENCODING) String encoding, @Context HttpServerRequest http) {
        return many(pool, body, authorization, encoding, http, true);
    }

    private Uni<Response> many(String pool, byte[] body, String authorization, String encoding,
            HttpServerRequest http, boolean atomic) {
        UpstashCredentials.of(authorization);
        Strings strings = strings(encoding);
        List<UpstashCommands.Command> parsed = commands.commands(body);
        List<Request> requests = parsed.stream().map(UpstashCommands.Command::request).toList();
        return onConnection(pool, http, (atomic ? "multi-exec of " : "pipeline of ") + requests.size(), parsed,
                link -> atomic ? RedisCommands.transaction(link, requests, strings)
                        : RedisCommands.pipeline(link, requests, strings))
                .map(this::ok);
    }

    /**
     * Runs {@code work} on a connection of the Redis pool lent for this request, and gives it back.
     * A read key's commands run only if the server flags each of them readonly.
     */
    private <R> Uni<R> onConnection(String pool, HttpServerRequest http, String activity,
            List<UpstashCommands.Command> parsed, Function<RedisLink, CompletionStage<R>> work) {
        Cluster<RedisLink> target = pools.get(pool, Kind.REDIS);
        Owner owner = Owners.of(http);
        List<String> names = parsed.stream().map(UpstashCommands.Command::name).toList();
        boolean readScope = access.readOnly();
        return LeasedCall.run(() -> target.acquire(owner, Route.WRITE), new LeasedCall.Job<>(
                lease -> {
                    lease.describe(activity);
                    return readOnly.checkIf(readScope, lease, parsed.stream().map(UpstashCommands.Command::head).toList())
                            .thenCompose(ok -> work.apply(lease.connection()));
                },
                (result, error) -> RedisCommands.outcome(names, error),
                error -> true,
                deadlines.redis(pool)))
                .onFailure(WriteRefusedException.class)
                .transform(error -> access.readOnlyRefusal(pool, error.getMessage()));
    }

    private static Strings strings(String encoding) {
        if (encoding == null || encoding.isBlank()) {
            return Strings.TEXT;
        }
        if (encoding.trim().equalsIgnoreCase("base64")) {
            return Strings.ALL_BASE64;
        }
        throw UpstashException.badRequest("header " + ENCODING + " must be base64 when set, got '" + encoding + "'");
    }

    /** The answer, with the {@code result} key present even when its value is null. */
    private Response ok(Object answer) {
        try {
            return Response.ok(mapper.writeValueAsBytes(answer), MediaType.APPLICATION_JSON)
                    .header(SyncTokens.HEADER, tokens.next()).build();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ServerExceptionMapper
    public Response failure(Throwable failure) {
        return errors.response(failure);
    }
}
