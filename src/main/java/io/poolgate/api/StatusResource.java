package io.poolgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolgate.pool.ConnectionView;
import io.poolgate.redis.Multiplexers;
import io.poolgate.scaling.Autoscaler;
import io.poolgate.topology.Cluster;
import io.poolgate.topology.Member;
import io.poolgate.topology.PerformanceWeights;
import io.poolgate.topology.Pools;
import io.poolgate.topology.Strategy;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

/** The operator API: pool status, every connection, pause / resume, manual sizing, balancing and node drains. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@NonBlocking
@Tag(name = "Operator", description = "Pool status, connections, pause / resume and sizing")
public class StatusResource {

    private static final Logger LOG = Logger.getLogger(StatusResource.class);
    private static final Set<String> SCALE_FIELDS = Set.of("delta", "target");
    private static final Set<String> BALANCER_FIELDS = Set.of("strategy", "weights", "performance");
    private static final Set<String> PERFORMANCE_FIELDS = Set.of("latency", "throughput", "errorRate", "load");
    private static final Set<String> NODE_FIELDS = Set.of("weight", "drain");
    private static final String BALANCER_EXAMPLE = "{\"strategy\": \"weighted_round_robin\", \"weights\": "
            + "{\"primary\": 1, \"replica-1\": 2}}";
    private static final String NODE_EXAMPLE = "{\"weight\": 2} or {\"drain\": true}";
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

    /** A pool's balancing after a change. */
    @RegisterForReflection
    public record BalancerResult(String pool, PoolStatus.BalancerStatus balancer, java.util.Map<String, Integer> weights) {
    }

    /** A node after a change. */
    @RegisterForReflection
    public record NodeResult(String pool, PoolStatus.NodeStatus node) {
    }

    /** What a scale request did. */
    @RegisterForReflection
    public record ScaleResult(String pool, int previousTarget, int requested, int target, boolean clamped, int min,
            int max) {
    }

    private final Pools pools;
    private final JsonBodies bodies;
    private final Autoscaler autoscaler;
    private final Multiplexers multiplexers;

    StatusResource(Pools pools, JsonBodies bodies, Autoscaler autoscaler, Multiplexers multiplexers) {
        this.multiplexers = multiplexers;
        this.pools = pools;
        this.bodies = bodies;
        this.autoscaler = autoscaler;
    }

    @GET
    @Path("/pools")
    @Operation(summary = "Every pool's status")
    @APIResponse(responseCode = "200", description = "Every pool")
    public PoolList all() {
        return new PoolList(pools.all().stream().map(c -> PoolStatus.of(c, autoscaler, multiplexers)).toList());
    }

    @GET
    @Path("/pools/{pool}")
    @Operation(summary = "A pool's status: sizes, bounds, waiters, utilization, reuse, counters and nodes")
    @APIResponse(responseCode = "200", description = "The pool")
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    public PoolStatus one(@PathParam("pool") String pool) {
        return PoolStatus.of(pools.get(pool), autoscaler, multiplexers);
    }

    /** Every pooled connection: node, state, age, last use, reuse count, requests, errors, latency, owner. */
    @GET
    @Path("/pools/{pool}/sessions")
    @Operation(summary = "Every pooled connection of a pool")
    @APIResponse(responseCode = "200", description = "The connections")
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    public ConnectionList connections(@PathParam("pool") String pool) {
        return new ConnectionList(pool, pools.get(pool).connections());
    }

    /** New acquisitions wait in the queue (bounded by the acquire timeout) until resume. */
    @POST
    @Path("/pools/{pool}/pause")
    @Operation(summary = "Hold new acquisitions in the wait queue")
    @APIResponse(responseCode = "200", description = "Whether the pool was already paused")
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    public PauseResult pause(@PathParam("pool") String pool) {
        Cluster<?> target = pools.get(pool);
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
        Cluster<?> target = pools.get(pool);
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
        Cluster<?> target = pools.get(pool);
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
        autoscaler.manual(pool); // the operator's size holds for one cooldown
        var settings = target.settings().sizes();
        LOG.infof("pool '%s' target size %d -> %d (requested %d)", pool, previous, set, requested);
        return new ScaleResult(pool, previous, clampedRequest, set, set != requested, settings.min(),
                settings.max());
    }

    /**
     * {@code {"strategy": "least_connections", "weights": {"node": n}, "performance": {"latency": 0.4, ...}}}:
     * every field optional; weights are the nodes' weights for weighted round robin.
     */
    @PUT
    @Path("/pools/{pool}/balancer")
    @Operation(summary = "Change the balancing strategy, node weights and performance weights")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiSchemas.BalancerBody.class)))
    @APIResponse(responseCode = "200", description = "The pool's balancing now")
    @APIResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiSchemas.PAYLOAD_TOO_LARGE)
    public BalancerResult balancer(@PathParam("pool") String pool, byte[] body) {
        Cluster<?> target = pools.get(pool);
        JsonNode request = bodies.parse(body, BALANCER_EXAMPLE);
        JsonBodies.requireObject(request, BALANCER_FIELDS, BALANCER_EXAMPLE);
        Strategy strategy = target.balancer().strategy();
        JsonNode named = request.get("strategy");
        if (named != null) {
            strategy = named.isTextual() ? Strategy.of(named.textValue()) : null;
            if (strategy == null) {
                throw ProblemException.badRequest("unknown strategy " + named + "; use one of " + Strategy.ids());
            }
        }
        PerformanceWeights performance = performance(request.get("performance"), target.balancer().weights());
        java.util.Map<Member<?>, Integer> weights = new java.util.LinkedHashMap<>();
        JsonNode nodeWeights = request.get("weights");
        if (nodeWeights != null) {
            if (!nodeWeights.isObject()) {
                throw ProblemException.badRequest("field 'weights' must be an object of node names to weights, e.g. "
                        + BALANCER_EXAMPLE);
            }
            nodeWeights.fields().forEachRemaining(e -> weights.put(target.member(e.getKey()),
                    weight("weights." + e.getKey(), e.getValue())));
        }
        weights.forEach(Member::weight);
        target.balancer().configure(strategy, performance);
        LOG.infof("pool '%s' balancing: %s, performance weights %s, node weights %s", pool, strategy.id(), performance,
                weights.entrySet().stream().map(e -> e.getKey().name() + "=" + e.getValue()).toList());
        PoolStatus status = PoolStatus.of(target, autoscaler, multiplexers);
        java.util.Map<String, Integer> now = new java.util.LinkedHashMap<>();
        target.members().forEach(m -> now.put(m.name(), m.weight()));
        return new BalancerResult(pool, status.balancer(), now);
    }

    /** {@code {"weight": n}} and / or {@code {"drain": true|false}}. */
    @PUT
    @Path("/pools/{pool}/nodes/{node}")
    @Operation(summary = "Set a node's weight, or drain / undrain it")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiSchemas.NodeBody.class)))
    @APIResponse(responseCode = "200", description = "The node now")
    @APIResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiSchemas.PAYLOAD_TOO_LARGE)
    public NodeResult node(@PathParam("pool") String pool, @PathParam("node") String node, byte[] body) {
        Cluster<?> target = pools.get(pool);
        Member<?> member = target.member(node);
        JsonNode request = bodies.parse(body, NODE_EXAMPLE);
        JsonBodies.requireObject(request, NODE_FIELDS, NODE_EXAMPLE);
        JsonNode weight = request.get("weight");
        JsonNode drain = request.get("drain");
        if (weight == null && drain == null) {
            throw ProblemException.badRequest("give 'weight' and / or 'drain', e.g. " + NODE_EXAMPLE);
        }
        if (drain != null && !drain.isBoolean()) {
            throw ProblemException.badRequest("field 'drain' must be true or false, got " + drain);
        }
        Integer newWeight = weight == null ? null : weight("weight", weight);
        if (newWeight != null) {
            member.weight(newWeight);
            LOG.infof("pool '%s' node '%s' weight set to %d", pool, node, newWeight);
        }
        if (drain != null) {
            member.drain(drain.booleanValue());
        }
        PoolStatus status = PoolStatus.of(target, autoscaler, multiplexers);
        return new NodeResult(pool, status.nodes().get(member.index()));
    }

    private static int weight(String field, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            throw ProblemException.badRequest("field '" + field + "' must be a whole number >= 1, got " + value);
        }
        return value.intValue();
    }

    private static PerformanceWeights performance(JsonNode value, PerformanceWeights current) {
        if (value == null) {
            return current;
        }
        String example = "{\"latency\": 0.4, \"throughput\": 0.3, \"errorRate\": 0.2, \"load\": 0.1}";
        JsonBodies.requireObject(value, PERFORMANCE_FIELDS, example);
        double[] w = { current.latency(), current.throughput(), current.errorRate(), current.load() };
        String[] names = { "latency", "throughput", "errorRate", "load" };
        for (int i = 0; i < names.length; i++) {
            JsonNode field = value.get(names[i]);
            if (field != null) {
                if (!field.isNumber() || field.doubleValue() < 0 || Double.isInfinite(field.doubleValue())) {
                    throw ProblemException.badRequest("field 'performance." + names[i] + "' must be a number >= 0, got "
                            + field);
                }
                w[i] = field.doubleValue();
            }
        }
        try {
            return new PerformanceWeights(w[0], w[1], w[2], w[3]);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("field 'performance': " + e.getMessage());
        }
    }
}
