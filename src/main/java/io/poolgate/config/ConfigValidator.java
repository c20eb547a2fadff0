package io.poolgate.config;

import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.config.PoolgateConfig.NodeConfig;
import io.poolgate.config.PoolgateConfig.PoolConfig;
import io.poolgate.scaling.Metric;
import io.poolgate.scaling.Policy;
import io.poolgate.topology.Node;
import io.poolgate.topology.PerformanceWeights;
import io.poolgate.topology.Strategy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks what the type system cannot: ranges, orderings, URL schemes, unique names. Each message
 * names the key, the rule and the bad value, e.g.
 * {@code poolgate.pools.main.size: min (30) must be <= max (20)}.
 */
public final class ConfigValidator {

    private static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");
    private static final Pattern POOL_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private final List<String> errors = new ArrayList<>();

    private ConfigValidator() {
    }

    /** Every rule broken by {@code config}; empty when it is valid. */
    public static List<String> check(PoolgateConfig config) {
        ConfigValidator validator = new ConfigValidator();
        validator.positive("poolgate.housekeeping-interval", config.housekeepingInterval());
        validator.notNegative("poolgate.drain-timeout", config.drainTimeout());
        validator.limits(config.limits());
        for (Map.Entry<String, PoolConfig> pool : config.pools().entrySet()) {
            validator.pool(pool.getKey(), pool.getValue());
        }
        return List.copyOf(validator.errors);
    }

    /** Throws {@link InvalidConfigException} listing every broken rule, if any. */
    public static void validate(PoolgateConfig config) {
        List<String> errors = check(config);
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
    }

    private void limits(PoolgateConfig.LimitsConfig limits) {
        if (limits.maxRows() < 1) {
            errors.add("poolgate.limits.max-rows: must be >= 1, got " + limits.maxRows());
        }
        if (limits.maxResponseBytes().asLongValue() < 1024) {
            errors.add("poolgate.limits.max-response-bytes: must be >= 1K, got "
                    + limits.maxResponseBytes().asLongValue() + " bytes");
        }
    }

    private void pool(String name, PoolConfig pool) {
        String key = "poolgate.pools." + name;
        if (!POOL_NAME.matcher(name).matches()) {
            errors.add(key + ": pool name must match " + POOL_NAME.pattern() + " (it is a URL path segment), got '"
                    + name + "'");
        }
        nodes(key, pool);
        var size = pool.size();
        if (size.min() < 0) {
            errors.add(key + ".size.min: must be >= 0, got " + size.min());
        }
        if (size.max() < 1) {
            errors.add(key + ".size.max: must be >= 1, got " + size.max());
        }
        if (size.min() > size.max()) {
            errors.add(key + ".size: min (" + size.min() + ") must be <= max (" + size.max() + ")");
        }
        size.initial().ifPresent(initial -> {
            if (initial < size.min() || initial > size.max()) {
                errors.add(key + ".size.initial: must lie between min (" + size.min() + ") and max (" + size.max()
                        + "), got " + initial);
            }
        });
        positive(key + ".acquire-timeout", pool.acquireTimeout());
        if (pool.maxWaiters() < 0) {
            errors.add(key + ".max-waiters: must be >= 0, got " + pool.maxWaiters());
        }
        var reuse = pool.reuse();
        positive(key + ".reuse.idle-timeout", reuse.idleTimeout());
        notNegative(key + ".reuse.max-lifetime", reuse.maxLifetime());
        notNegative(key + ".reuse.validate-after-idle", reuse.validateAfterIdle());
        if (reuse.maxUses() < 0) {
            errors.add(key + ".reuse.max-uses: must be >= 0 (0: unlimited), got " + reuse.maxUses());
        }
        notNegative(key + ".leak-threshold", pool.leakThreshold());
        sessions(key, pool);
        health(key + ".health", pool.health());
        autoscaling(key + ".autoscaling", pool.autoscaling());
        balancer(key + ".balancer", pool.balancer());
        positive(key + ".connect-timeout", pool.connectTimeout());
        positive(key + ".validation-timeout", pool.validationTimeout());
        positive(key + ".reset-timeout", pool.resetTimeout());
        positive(key + ".command-timeout", pool.commandTimeout());
        positive(key + ".deadline-grace", pool.deadlineGrace());
        pool.statementTimeout().ifPresent(timeout -> {
            positive(key + ".statement-timeout", timeout);
            if (pool.kind() != Kind.POSTGRES) {
                errors.add(key + ".statement-timeout: only applies to postgres pools, this pool is " + kind(pool));
            }
        });
        if (pool.initSql().isPresent() && pool.kind() != Kind.POSTGRES) {
            errors.add(key + ".init-sql: only applies to postgres pools, this pool is " + kind(pool));
        }
    }

    private void sessions(String key, PoolConfig pool) {
        var sessions = pool.sessions();
        sessions.max().ifPresent(max -> {
            if (max < 0) {
                errors.add(key + ".sessions.max: must be >= 0, got " + max);
            } else if (max >= pool.size().max() && max > 0) {
                errors.add(key + ".sessions.max: must be < size.max (" + pool.size().max()
                        + ") so session leases cannot starve one-shot requests, got " + max);
            }
        });
        positive(key + ".sessions.idle-timeout", sessions.idleTimeout());
        positive(key + ".sessions.max-lifetime", sessions.maxLifetime());
    }

    private void health(String key, PoolgateConfig.HealthConfig health) {
        positive(key + ".interval", health.interval());
        positive(key + ".timeout", health.timeout());
        positive(key + ".max-latency", health.maxLatency());
        positive(key + ".open-wait", health.openWait());
        if (health.failureThreshold() < 1) {
            errors.add(key + ".failure-threshold: must be >= 1, got " + health.failureThreshold());
        }
        if (health.recoveryThreshold() < 1) {
            errors.add(key + ".recovery-threshold: must be >= 1, got " + health.recoveryThreshold());
        }
        if (health.maxOpenWait().compareTo(health.openWait()) < 0) {
            errors.add(key + ".max-open-wait: must be >= open-wait (" + health.openWait() + "), got "
                    + health.maxOpenWait());
        }
    }

    private void autoscaling(String key, PoolgateConfig.AutoscalingConfig scaling) {
        positive(key + ".sample-interval", scaling.sampleInterval());
        notNegative(key + ".cooldown", scaling.cooldown());
        if (!(scaling.serverHeadroom() >= 0 && scaling.serverHeadroom() < 1)) {
            errors.add(key + ".server-headroom: must be a share of max_connections in [0, 1), got "
                    + scaling.serverHeadroom());
        }
        for (String name : scaling.policies().keySet()) {
            if (Metric.of(name) == null) {
                errors.add(key + ".policies." + name + ": unknown policy; use utilization, waiters, request-rate or "
                        + "acquire-latency");
            }
        }
        boolean shortForm = scaling.scaleUpThreshold().isPresent() || scaling.scaleDownThreshold().isPresent()
                || scaling.scaleUpIncrement().isPresent() || scaling.scaleDownIncrement().isPresent()
                || scaling.sustain().isPresent();
        if (shortForm && scaling.policies().containsKey("utilization")) {
            errors.add(key + ": the short form (scale-up-threshold, ...) configures the utilization policy, which "
                    + "policies.utilization configures too; use one of them");
        }
        for (Policy policy : policies(scaling)) {
            String where = key + (policy.metric() == Metric.UTILIZATION && shortForm ? ""
                    : ".policies." + policy.metric().id());
            if (!(policy.upThreshold() > policy.downThreshold())) {
                errors.add(where + ": scale-up-threshold (" + policy.upThreshold() + ") must be > scale-down-threshold ("
                        + policy.downThreshold() + ")");
            }
            if (policy.downThreshold() < 0) {
                errors.add(where + ".scale-down-threshold: must be >= 0, got " + policy.downThreshold());
            }
            if (policy.upIncrement() < 1) {
                errors.add(where + ".scale-up-increment: must be >= 1, got " + policy.upIncrement());
            }
            if (policy.downIncrement() < 1) {
                errors.add(where + ".scale-down-increment: must be >= 1, got " + policy.downIncrement());
            }
            notNegative(where + ".sustain", policy.sustain());
        }
    }

    /**
     * The scaling policies of a pool: those under {@code policies}, the utilization policy of the
     * short form, or the utilization policy's defaults when neither is given.
     */
    public static List<Policy> policies(PoolgateConfig.AutoscalingConfig scaling) {
        List<Policy> policies = new ArrayList<>();
        Policy defaults = Policy.utilization();
        boolean shortForm = scaling.scaleUpThreshold().isPresent() || scaling.scaleDownThreshold().isPresent()
                || scaling.scaleUpIncrement().isPresent() || scaling.scaleDownIncrement().isPresent()
                || scaling.sustain().isPresent();
        if (shortForm || scaling.policies().isEmpty()) {
            policies.add(new Policy(Metric.UTILIZATION,
                    scaling.scaleUpThreshold().orElse(defaults.upThreshold()),
                    scaling.scaleDownThreshold().orElse(defaults.downThreshold()),
                    scaling.scaleUpIncrement().orElse(defaults.upIncrement()),
                    scaling.scaleDownIncrement().orElse(defaults.downIncrement()),
                    scaling.sustain().orElse(defaults.sustain())));
        }
        scaling.policies().forEach((name, p) -> {
            Metric metric = Metric.of(name);
            if (metric != null) {
                policies.add(new Policy(metric, p.scaleUpThreshold(), p.scaleDownThreshold(),
                        p.scaleUpIncrement(), p.scaleDownIncrement(), p.sustain()));
            }
        });
        return policies;
    }

    private void balancer(String key, PoolgateConfig.BalancerConfig balancer) {
        if (Strategy.of(balancer.strategy()) == null) {
            errors.add(key + ".strategy: must be one of " + Strategy.ids() + ", got '"
                    + balancer.strategy() + "'");
        }
        try {
            performanceWeights(balancer.performance());
        } catch (IllegalArgumentException e) {
            errors.add(key + ".performance: " + e.getMessage());
        }
    }

    /** The configured weights of the performance-based score; throws naming what is wrong. */
    public static PerformanceWeights performanceWeights(PoolgateConfig.PerformanceConfig p) {
        return new PerformanceWeights(p.latency(), p.throughput(), p.errorRate(), p.load());
    }

    /** How long one SQL statement may run: configured, or 60 s. */
    public static Duration statementTimeout(PoolConfig pool) {
        return pool.statementTimeout().orElse(Duration.ofSeconds(60));
    }

    /** The most session leases a pool allows: configured, or half of its max size. */
    public static int sessionLimit(PoolConfig pool) {
        return pool.sessions().max().orElse(pool.size().max() / 2);
    }

    private void nodes(String key, PoolConfig pool) {
        if (pool.nodes().isEmpty()) {
            errors.add(key + ".nodes: at least one node is required");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < pool.nodes().size(); i++) {
            NodeConfig node = pool.nodes().get(i);
            String nodeKey = key + ".nodes[" + i + "]";
            if (!names.add(node.name())) {
                errors.add(nodeKey + ".name: must be unique within the pool, '" + node.name() + "' is used twice");
            }
            if (node.weight() < 1) {
                errors.add(nodeKey + ".weight: must be >= 1, got " + node.weight());
            }
            url(nodeKey + ".url", node.url(), pool.kind());
        }
    }

    private void url(String key, String url, Kind kind) {
        List<String> schemes = kind == Kind.POSTGRES ? List.of("postgresql", "postgres") : List.of("redis", "rediss");
        String shown = Node.redact(url);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            errors.add(key + ": not a valid URL (" + e.getMessage().replace(url, shown) + "), got '" + shown + "'");
            return;
        }
        if (uri.getScheme() == null || !schemes.contains(uri.getScheme())) {
            errors.add(key + ": scheme must be " + String.join(" or ", schemes) + "://, got '" + shown + "'");
        } else if (uri.getHost() == null) {
            errors.add(key + ": must name a host, got '" + shown + "'");
        } else if (kind == Kind.POSTGRES) {
            tls(key, uri, shown);
        }
    }

    /** libpq's sslmode values, and a readable sslrootcert file (see postgres.BackendTls). */
    private void tls(String key, URI uri, String shown) {
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                    java.nio.charset.StandardCharsets.UTF_8);
            if (name.equals("sslmode") && !SSL_MODES.contains(value)) {
                errors.add(key + ": sslmode must be one of " + String.join(", ", SSL_MODES) + ", got '" + value
                        + "' in '" + shown + "'");
            }
            if (name.equals("sslrootcert") && !value.equals("system")
                    && !java.nio.file.Files.isReadable(java.nio.file.Path.of(value))) {
                errors.add(key + ": sslrootcert file '" + value + "' cannot be read");
            }
        }
    }

    private void positive(String key, Duration value) {
        if (value.isZero() || value.isNegative()) {
            errors.add(key + ": must be > 0, got " + value);
        }
    }

    private void notNegative(String key, Duration value) {
        if (value.isNegative()) {
            errors.add(key + ": must be >= 0, got " + value);
        }
    }

    private static String kind(PoolConfig pool) {
        return pool.kind().name().toLowerCase();
    }
}
