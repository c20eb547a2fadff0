package io.poolgate.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * {@code poolgate_request_seconds{api, outcome}} for every API call. The timers for every API and
 * outcome are built at start; a request only looks one up and records into it.
 */
@Singleton
public final class RequestMeters {

    /**
     * Resource methods by API name: {@code Class.method} of the resources in {@code io.poolgate.api}
     * and of the foreign wire formats ({@code io.poolgate.upstash}, {@code io.poolgate.neon}).
     */
    static final Map<String, String> APIS = Map.ofEntries(
            Map.entry("SqlResource.query", "query"), Map.entry("SqlResource.batch", "batch"),
            Map.entry("RedisResource.command", "command"), Map.entry("RedisResource.pipeline", "pipeline"),
            Map.entry("SessionResource.open", "session"), Map.entry("SessionResource.get", "session"),
            Map.entry("SessionResource.release", "session"), Map.entry("SessionResource.query", "session_query"),
            Map.entry("SessionResource.command", "session_command"), Map.entry("StatusResource.all", "status"),
            Map.entry("StatusResource.one", "status"), Map.entry("StatusResource.connections", "status"),
            Map.entry("StatusResource.pause", "control"), Map.entry("StatusResource.resume", "control"),
            Map.entry("StatusResource.scale", "control"), Map.entry("StatusResource.balancer", "control"),
            Map.entry("StatusResource.node", "control"),
            Map.entry("UpstashResource.command", "upstash_command"), Map.entry("UpstashResource.pipeline", "upstash_pipeline"),
            Map.entry("UpstashResource.multiExec", "upstash_multi_exec"), Map.entry("NeonResource.sql", "neon_sql"));
    static final List<String> OUTCOMES = List.of("success", "client_error", "backend_error", "unavailable", "timeout",
            "server_error");
    private static final String STARTED = "poolgate.request.started";
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(250_000), Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(30) };

    private final Map<String, Timer[]> timers = new HashMap<>();
    /** The timers of each resource class's API methods, by method name; filled as classes are seen. */
    private final Map<Class<?>, Map<String, Timer[]>> byClass = new ConcurrentHashMap<>();

    RequestMeters(MeterRegistry registry) {
        for (String api : Set.copyOf(APIS.values())) {
            Timer[] byOutcome = new Timer[OUTCOMES.size()];
            for (int i = 0; i < byOutcome.length; i++) {
                byOutcome[i] = Timer.builder("poolgate.request").description("API requests by outcome")
                        .tags("api", api, "outcome", OUTCOMES.get(i)).serviceLevelObjectives(BUCKETS)
                        .register(registry);
            }
            timers.put(api, byOutcome);
        }
    }

    /** The timers of {@code api}'s requests (a value of {@link #APIS}), for an endpoint served by a Vert.x route. */
    public Api api(String api) {
        Timer[] byOutcome = timers.get(api);
        if (byOutcome == null) {
            throw new IllegalArgumentException("no API named '" + api + "' (known: " + timers.keySet() + ")");
        }
        return new Api(byOutcome);
    }

    /** One API's timers, by outcome. */
    public static final class Api {

        private final Timer[] byOutcome;

        private Api(Timer[] byOutcome) {
            this.byOutcome = byOutcome;
        }

        /** Records a request answered with {@code status}, started at {@code startedNanos} ({@link System#nanoTime()}). */
        public void record(int status, long startedNanos) {
            byOutcome[outcome(status)].record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        }
    }

    @ServerRequestFilter
    public void started(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @ServerResponseFilter
    public void finished(ContainerRequestContext request, ContainerResponseContext response,
            SimpleResourceInfo resource) {
        Object started = request.getProperty(STARTED);
        // null: no resource matched (404), or not an API
        Timer[] byOutcome = resource == null || resource.getMethodName() == null ? null
                : timersOf(resource.getResourceClass()).get(resource.getMethodName());
        if (started == null || byOutcome == null) {
            return;
        }
        byOutcome[outcome(response.getStatus())].record(System.nanoTime() - (long) started, TimeUnit.NANOSECONDS);
    }

    private Map<String, Timer[]> timersOf(Class<?> resource) {
        Map<String, Timer[]> methods = byClass.get(resource);
        return methods != null ? methods : byClass.computeIfAbsent(resource, this::apiMethods);
    }

    /** The timers of {@code resource}'s methods named in {@link #APIS}, by method name. */
    private Map<String, Timer[]> apiMethods(Class<?> resource) {
        String prefix = resource.getSimpleName() + ".";
        Map<String, Timer[]> methods = new HashMap<>();
        APIS.forEach((method, api) -> {
            if (method.startsWith(prefix)) {
                methods.put(method.substring(prefix.length()), timers.get(api));
            }
        });
        return methods;
    }

    /** Index into {@link #OUTCOMES}. */
    static int outcome(int status) {
        if (status < 400) {
            return 0;
        }
        return switch (status) {
            case 422 -> 2;
            case 503 -> 3;
            case 504 -> 4;
            default -> status < 500 ? 1 : 5;
        };
    }
}
