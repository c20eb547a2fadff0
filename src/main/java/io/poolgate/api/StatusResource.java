package io.poolgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolgate.pool.ConnectionView;
import io.poolgate.pool.Pool;
import io.poolgate.pool.Pools;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** The operator API: pool status, every connection, pause / resume, and manual sizing. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@NonBlocking
@Tag(name = "Operator", description = "Pool status, connections, pause / resume and sizing")
public class StatusResource {

    private static final Logger LOG = Logger.getLogger(StatusResource.class);
    private static final Set<String> SCALE_FIELDS = Set.of("delta", "target");
    private static final String SCALE_EXAMPLE = "{\"delta\": 5} or {\"target\": 50}";

    /** Every pool's status. */
    @RegisterForReflection
    public record PoolList(List<PoolStatus> pools) {
    }

    /** Every live connection of a pool. */
    @RegisterForReflection
    public record ConnectionList(String pool, List<ConnectionView> connections) {
    }

    /** What a pause / resume did. */
    @RegisterForReflection
    public record PauseResult(String pool, boolean paused, boolean changed, int waiters) {
    }

    /** What a scale request did. */
    @RegisterForReflection
    public record ScaleResult(String pool, int previousTarget, int requested, int target, boolean clamped, int min,
            int max) {
    }

    private final Pools pools;
    private final JsonBodies bodies;

    StatusResource(Pools pools, JsonBodies bodies) {
        this.pools = pools;
        this.bodies = bodies;
    }

    @GET
    @Path("/pools")
    @Operation(summary = "Every pool's status")
    @APIResponse(responseCode = "200", description = "Every pool")
    public PoolList all() {
        return new PoolList(pools.all().stream().map(PoolStatus::of).toList());
    }

    @GET
    @Path("/pools/{pool}")
    @Operation(summary = "A pool's status: sizes, bounds, waiters, utilization, reuse, counters and nodes")
    @APIResponse(responseCode = "200", description = "The pool")
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    public PoolStatus one(@PathParam("pool") String pool) {
        return PoolStatus.of(pools.get(pool));
    }

    /** Every pooled connection: node, state, age, last use, reuse count, requests, errors, latency, owner. */
    @GET
    @Path("/pools/{pool}/sessions")
    @Operation(summary = "Every pooled connection of a pool")
    @APIResponse(responseCode = "200", description = "The connections")
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    public ConnectionList connections(@PathParam("pool") String pool) {
        return new ConnectionList(pool, pools.get(pool).pool().connections());
    }

    /** New acquisitions wait in the queue (bounded by the acquire timeout) until resume. */
    @POST
    @Path("/pools/{pool}/pause")
    @Operation(summary = "Hold new acquisitions in the wait queue")
    @APIResponse(responseCode = "200", description = "Whether the pool was already paused")
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    public PauseResult pause(@PathParam("pool") String pool) {
        Pool<?> target = pools.get(pool).pool();
        boolean changed = target.pause();
        if (changed) {
            LOG.infof("pool '%s' paused: new acquisitions wait until resume", pool);
        }
        return new PauseResult(pool, true, changed, target.snapshot().waiting());
    }

    /** Serves the waiting acquisitions in order, and lends again. */
    @POST
    @Path("/pools/{pool}/resume")
    @Operation(summary = "Serve the waiting acquisitions and lend again")
    @APIResponse(responseCode = "200", description = "Whether the pool was paused")
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    public PauseResult resume(@PathParam("pool") String pool) {
        Pool<?> target = pools.get(pool).pool();
        int waiting = target.snapshot().waiting();
        boolean changed = target.resume();
        if (changed) {
            LOG.infof("pool '%s' resumed with %d waiting", pool, waiting);
        }
        return new PauseResult(pool, false, changed, waiting);
    }

    /** {@code {"delta": n}} or {@code {"target": n}}: the size kept warm, clamped to [min, max]. */
    @POST
    @Path("/pools/{pool}/scale")
    @Operation(summary = "Set the size kept warm")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiSchemas.ScaleBody.class)))
    @APIResponse(responseCode = "200", description = "The new target, clamped to [min, max]")
    @APIResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiSchemas.PAYLOAD_TOO_LARGE)
    public ScaleResult scale(@PathParam("pool") String pool, byte[] body) {
        Pool<?> target = pools.get(pool).pool();
        JsonNode request = bodies.parse(body, SCALE_EXAMPLE);
        JsonBodies.requireObject(request, SCALE_FIELDS, SCALE_EXAMPLE);
        JsonNode delta = request.get("delta");
        JsonNode wanted = request.get("target");
        if ((delta == null) == (wanted == null)) {
            throw ProblemException.badRequest("give exactly one of 'delta' and 'target', e.g. " + SCALE_EXAMPLE);
        }
        JsonNode number = delta != null ? delta : wanted;
        if (!number.isIntegralNumber() || !number.canConvertToInt()) {
            throw ProblemException.badRequest("field '" + (delta != null ? "delta" : "target")
                    + "' must be a whole number, got " + number);
        }
        if (wanted != null && number.intValue() < 0) {
            throw ProblemException.badRequest("field 'target' must be >= 0, got " + number);
        }
        int previous = target.snapshot().target();
        long requested = delta != null ? (long) previous + number.intValue() : number.intValue();
        int clampedRequest = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, requested));
        int set = target.resize(clampedRequest);
        var settings = target.settings().sizes();
        LOG.infof("pool '%s' target size %d -> %d (requested %d)", pool, previous, set, requested);
        return new ScaleResult(pool, previous, clampedRequest, set, set != requested, settings.min(),
                settings.max());
    }
}
