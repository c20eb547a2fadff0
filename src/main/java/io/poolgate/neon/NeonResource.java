package io.poolgate.neon;

import io.poolgate.api.LeasedCall;
import io.poolgate.api.Owners;
import io.poolgate.config.PoolgateConfig;
import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.api.Deadlines;
import io.poolgate.pool.Owner;
import io.poolgate.topology.Cluster;
import io.poolgate.topology.Pools;
import io.poolgate.topology.RoleLogin;
import io.poolgate.topology.Route;
import io.poolgate.postgres.PgStatements;
import io.poolgate.postgres.ResultLimits;
import io.poolgate.security.Access;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgConnection;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Neon's SQL-over-HTTP, for {@code @neondatabase/serverless} in HTTP mode with
 * {@code neonConfig.fetchEndpoint = 'http://gateway:8080/sql'}: one statement, or a transaction of
 * several, on a connection of the pool the connection string's host names, lent for the request.
 * Parameters are bound as text of no declared type and values come back as PostgreSQL's own text
 * ({@link WireTap}), so the driver parses exactly what it would get from Neon.
 */
@Path(NeonErrors.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Neon", description = "Neon's SQL-over-HTTP, for @neondatabase/serverless (neon() in HTTP mode)")
public class NeonResource {

    /** The request headers a browser may send, for the CORS preflight. */
    static final String ALLOWED_HEADERS = String.join(", ", HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
            NeonCredentials.CONNECTION_STRING, NeonOptions.RAW_TEXT, NeonOptions.ARRAY_MODE, "Neon-Pool-Opt-In",
            NeonOptions.ISOLATION, NeonOptions.READ_ONLY, NeonOptions.DEFERRABLE);

    private final Pools pools;
    private final NeonErrors errors;
    private final ResultLimits limits;
    private final Deadlines deadlines;
    private final Access access;

    NeonResource(Pools pools, NeonErrors errors, PoolgateConfig config, Deadlines deadlines, Access access) {
        this.pools = pools;
        this.errors = errors;
        this.limits = ResultLimits.of(config);
        this.deadlines = deadlines;
        this.access = access;
    }

    /** Runs {@code {query, params}} alone, or {@code {queries: [...]}} in one transaction. */
    @POST
    @Operation(summary = "Run SQL as Neon's SQL-over-HTTP does (for @neondatabase/serverless)")
    @RequestBody(required = true, description = "The driver sends it as text/plain;charset=UTF-8", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NeonSchemas.Body.class)),
        @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(implementation = NeonSchemas.Body.class)) })
    @APIResponse(responseCode = "200", description = "One result, or {results: [...]} for a transaction",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
                    implementation = NeonSchemas.Result.class)))
    @APIResponse(responseCode = "400", ref = "NeonBadRequest")
    @APIResponse(responseCode = "401", ref = "NeonUnauthorized")
    @APIResponse(responseCode = "404", ref = "NeonNotFound")
    @APIResponse(responseCode = "413", ref = "NeonPayloadTooLarge")
    @APIResponse(responseCode = "503", ref = "NeonUnavailable")
    @APIResponse(responseCode = "507", ref = "NeonResultTooLarge")
    public Uni<Response> sql(byte[] body,
            @Parameter(description = "postgresql://user:KEY@POOL[.anything]/db: the host's first label names the pool")
            @HeaderParam(NeonCredentials.CONNECTION_STRING) String connectionString,
            @Parameter(description = "Bearer KEY, instead of the connection string's password")
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "true: every value as PostgreSQL's text; otherwise typed JSON")
            @HeaderParam(NeonOptions.RAW_TEXT) String rawText,
            @Parameter(description = "true: rows as arrays, unless a query says arrayMode")
            @HeaderParam(NeonOptions.ARRAY_MODE) String arrayMode,
            @Parameter(description = "Transactions: Serializable, ReadUncommitted, ReadCommitted or RepeatableRead")
            @HeaderParam(NeonOptions.ISOLATION) String isolation,
            @Parameter(description = "Transactions: true runs it read-only")
            @HeaderParam(NeonOptions.READ_ONLY) String readOnly,
            @Parameter(description = "Transactions: true makes it deferrable")
            @HeaderParam(NeonOptions.DEFERRABLE) String deferrable,
            @Context HttpServerRequest http) {
        NeonCredentials credentials = NeonCredentials.of(connectionString, authorization);
        NeonOptions options = NeonOptions.of(rawText, arrayMode, isolation, readOnly, deferrable);
        NeonRequest request = NeonRequest.parse(body);
        Cluster<PgConnection> pool = pools.get(credentials.pool(), Kind.POSTGRES);
        if (request.queries().isEmpty()) {
            return Uni.createFrom().item(ok("{\"results\":[]}".getBytes(StandardCharsets.US_ASCII), request, options));
        }
        boolean readScope = access.readOnly();
        NeonCall call = new NeonCall(request, options, limits, readScope);
        Owner owner = Owners.of(http);
        // a read-only transaction, or all a read key may do, may run on a replica; anything else may write
        Route route = readScope || request.transaction() && options.readOnly() ? Route.READ : Route.WRITE;
        RoleLogin login = access.login();
        return LeasedCall.run(() -> pool.acquire(owner, route, login), new LeasedCall.Job<>(
                lease -> {
                    lease.describe(call.summary());
                    return call.run(lease.connection());
                },
                (answer, error) -> call.outcome(error),
                error -> route == Route.WRITE,
                deadlines.sql(credentials.pool(), request.queries().size())))
                .onFailure(error -> readScope && error instanceof SqlFailure sql
                        && PgStatements.isReadOnlyRefusal(sql.error().code()))
                .transform(error -> access.readOnlyRefusal(credentials.pool(), "PostgreSQL refused: "
                        + ((SqlFailure) error).error().message() + " (SQLSTATE " + ((SqlFailure) error).error().code()
                        + ")"))
                .map(answer -> ok(answer, request, options));
    }

    /** Answers a browser's CORS preflight for {@code POST /sql}. */
    @OPTIONS
    @Operation(summary = "CORS preflight for POST /sql")
    @APIResponse(responseCode = "204", description = "POST /sql may be called from any origin with Neon's headers")
    public Response preflight() {
        return Response.noContent()
                .header("Allow", "OPTIONS, POST")
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", "OPTIONS, POST")
                .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                .header("Access-Control-Max-Age", "86400")
                .build();
    }

    /** A transaction's answer repeats its options as headers, as Neon's does. */
    private static Response ok(byte[] answer, NeonRequest request, NeonOptions options) {
        Response.ResponseBuilder response = Response.ok(answer, MediaType.APPLICATION_JSON);
        NeonErrors.CORS.forEach(response::header);
        if (request.transaction()) {
            if (options.readOnly()) {
                response.header(NeonOptions.READ_ONLY, "true");
            }
            if (options.deferrable()) {
                response.header(NeonOptions.DEFERRABLE, "true");
            }
            if (options.isolation() != null) {
                response.header(NeonOptions.ISOLATION, options.isolation().name());
            }
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response failure(Throwable failure) {
        return errors.response(failure);
    }
}
