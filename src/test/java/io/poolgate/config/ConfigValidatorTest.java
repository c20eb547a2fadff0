package io.poolgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real SmallRye mapping of {@link PoolgateConfig} over property maps: validation messages name
 * key, rule and value; environment variables override keys.
 */
class ConfigValidatorTest {

    static Map<String, String> validPool() {
        Map<String, String> p = new HashMap<>();
        p.put("poolgate.pools.main.kind", "postgres");
        p.put("poolgate.pools.main.nodes[0].name", "primary");
        p.put("poolgate.pools.main.nodes[0].url", "postgresql://app:secret@db:5432/app");
        p.put("poolgate.pools.main.size.min", "2");
        p.put("poolgate.pools.main.size.max", "10");
        return p;
    }

    static PoolgateConfig config(Map<String, String> properties, Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(PoolgateConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus's "5s" form
                .withConverter(MemorySize.class, 100, new MemorySizeConverter()) // and its "10M" form
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return config.getConfigMapping(PoolgateConfig.class);
    }

    static List<String> errors(Map<String, String> properties) {
        return ConfigValidator.check(config(properties, Map.of()));
    }

    @Test
    void aValidPoolHasNoErrors() {
        assertEquals(List.of(), errors(validPool()));
    }

    @Test
    void minAboveMaxNamesKeyRuleAndValues() {
        Map<String, String> p = validPool();
        p.put("poolgate.pools.main.size.min", "30");
        p.put("poolgate.pools.main.size.max", "20");
        assertEquals(List.of("poolgate.pools.main.size: min (30) must be <= max (20)"), errors(p));
    }

    @Test
    void initialOutsideTheBoundsIsRejected() {
        Map<String, String> p = validPool();
        p.put("poolgate.pools.main.size.initial", "11");
        assertEquals(List.of("poolgate.pools.main.size.initial: must lie between min (2) and max (10), got 11"),
                errors(p));
    }

    @Test
    void aUrlOfTheWrongSchemeIsRejectedWithoutShowingThePassword() {
        Map<String, String> p = validPool();
        p.put("poolgate.pools.main.nodes[0].url", "redis://app:secret@db:6379");
        assertEquals(List.of("poolgate.pools.main.nodes[0].url: scheme must be postgresql or postgres://, "
                + "got 'redis://app:***@db:6379'"), errors(p));
    }

    @Test
    void sslmodeMustBeLibpqsAndSslrootcertReadable() {
        Map<String, String> p = validPool();
        p.put("poolgate.pools.main.nodes[0].url", "postgresql://app:secret@db:5432/app?sslmode=verify");
        assertEquals(List.of("poolgate.pools.main.nodes[0].url: sslmode must be one of disable, allow, prefer, require, "
                + "verify-ca, verify-full, got 'verify' in 'postgresql://app:***@db:5432/app?sslmode=verify'"), errors(p));
        p.put("poolgate.pools.main.nodes[0].url", "postgresql://app:secret@db/app?sslmode=verify-full"
                + "&sslrootcert=/nowhere/ca.pem");
        assertEquals(List.of("poolgate.pools.main.nodes[0].url: sslrootcert file '/nowhere/ca.pem' cannot be read"),
                errors(p));
        p.put("poolgate.pools.main.nodes[0].url", "postgresql://app:secret@db/app?sslmode=verify-full&sslrootcert=system");
        assertEquals(List.of(), errors(p));
    }

    @Test
    void durationsCountsAndWeightsMustBeInRange() {
        Map<String, String> p = validPool();
        p.put("poolgate.pools.main.acquire-timeout", "0s");
        p.put("poolgate.pools.main.max-waiters", "-1");
        p.put("poolgate.pools.main.reuse.max-uses", "-5");
        p.put("poolgate.pools.main.nodes[0].weight", "0");
        assertEquals(List.of(
                "poolgate.pools.main.nodes[0].weight: must be >= 1, got 0",
                "poolgate.pools.main.acquire-timeout: must be > 0, got PT0S",
                "poolgate.pools.main.max-waiters: must be >= 0, got -1",
                "poolgate.pools.main.reuse.max-uses: must be >= 0 (0: unlimited), got -5"), errors(p));
    }

    @Test
    void postgresOnlyKeysOnARedisPoolAreRejected() {
        Map<String, String> p = new HashMap<>();
        p.put("poolgate.pools.cache.kind", "redis");
        p.put("poolgate.pools.cache.nodes[0].name", "main");
        p.put("poolgate.pools.cache.nodes[0].url", "redis://localhost:6379");
        p.put("poolgate.pools.cache.init-sql[0]", "SET x TO 1");
        assertEquals(List.of("poolgate.pools.cache.init-sql: only applies to postgres pools, this pool is redis"),
                errors(p));
    }

    @Test
    void duplicateNodeNamesAndBadPoolNamesAreRejected() {
        Map<String, String> p = validPool();
        p.put("poolgate.pools.main.nodes[1].name", "primary");
        p.put("poolgate.pools.main.nodes[1].url", "postgresql://db2/app");
        assertEquals(List.of("poolgate.pools.main.nodes[1].name: must be unique within the pool, 'primary' is used twice"),
                errors(p));
    }

    @Test
    void validateThrowsWithEveryError() {
        Map<String, String> p = validPool();
        p.put("poolgate.pools.main.size.min", "30");
        p.put("poolgate.pools.main.size.max", "20");
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigValidator.validate(config(p, Map.of())));
        assertEquals("invalid poolgate configuration:\n  poolgate.pools.main.size: min (30) must be <= max (20)",
                e.getMessage());
    }

    @Test
    void environmentVariablesOverrideKeysOfNamedPools() {
        PoolgateConfig config = config(validPool(), Map.of(
                "POOLGATE_POOLS_MAIN_SIZE_MAX", "80",
                "POOLGATE_POOLS_MAIN_ACQUIRE_TIMEOUT", "7s",
                "POOLGATE_POOLS_MAIN_NODES_0__URL", "postgresql://other:5432/app"));
        assertEquals(80, config.pools().get("main").size().max());
        assertEquals(7, config.pools().get("main").acquireTimeout().toSeconds());
        assertEquals("postgresql://other:5432/app", config.pools().get("main").nodes().get(0).url());
    }

    @Test
    void defaultsApplyWhenGroupsAreLeftOut() {
        PoolgateConfig config = config(validPool(), Map.of());
        var pool = config.pools().get("main");
        assertEquals(300, pool.reuse().idleTimeout().toSeconds());
        assertTrue(pool.reuse().resetOnRelease());
        assertEquals(1000, pool.maxWaiters());
        assertEquals(PoolgateConfig.NodeRole.PRIMARY, pool.nodes().get(0).role());
    }

    @Test
    void breakerAndBalancerSettingsAreChecked() {
        Map<String, String> p = validPool();
        p.put("poolgate.pools.main.health.failure-threshold", "0");
        p.put("poolgate.pools.main.health.open-wait", "10s");
        p.put("poolgate.pools.main.health.max-open-wait", "5s");
        p.put("poolgate.pools.main.balancer.strategy", "random");
        p.put("poolgate.pools.main.balancer.performance.latency", "-1");
        assertEquals(List.of("poolgate.pools.main.health.failure-threshold: must be >= 1, got 0",
                "poolgate.pools.main.health.max-open-wait: must be >= open-wait (PT10S), got PT5S",
                "poolgate.pools.main.balancer.strategy: must be one of round_robin, least_connections, "
                        + "weighted_round_robin, performance_based, got 'random'",
                "poolgate.pools.main.balancer.performance: performance weights must be finite and >= 0, got -1.0"),
                errors(p));
    }

    @Test
    void theShortFormConfiguresTheUtilizationPolicy() {
        Map<String, String> p = validPool();
        p.put("poolgate.pools.main.autoscaling.enabled", "true");
        p.put("poolgate.pools.main.autoscaling.scale-up-threshold", "0.9");
        p.put("poolgate.pools.main.autoscaling.sustain", "10s");
        p.put("poolgate.pools.main.autoscaling.policies.waiters.scale-up-threshold", "4");
        p.put("poolgate.pools.main.autoscaling.policies.waiters.scale-down-threshold", "0.5");
        PoolgateConfig config = config(p, Map.of());
        assertEquals(List.of(), ConfigValidator.check(config));

        var policies = ConfigValidator.policies(config.pools().get("main").autoscaling());
        assertEquals(List.of(new io.poolgate.scaling.Policy(io.poolgate.scaling.Metric.UTILIZATION, 0.9, 0.3, 5, 2,
                Duration.ofSeconds(10)), new io.poolgate.scaling.Policy(io.poolgate.scaling.Metric.WAITERS, 4, 0.5, 1, 1,
                Duration.ofSeconds(30))), policies);
    }

    @Test
    void badScalingPoliciesNameKeyRuleAndValue() {
        Map<String, String> p = validPool();
        p.put("poolgate.pools.main.autoscaling.enabled", "true");
        p.put("poolgate.pools.main.autoscaling.scale-up-threshold", "0.2");
        p.put("poolgate.pools.main.autoscaling.server-headroom", "1.5");
        p.put("poolgate.pools.main.autoscaling.policies.latency.scale-up-threshold", "10");
        p.put("poolgate.pools.main.autoscaling.policies.latency.scale-down-threshold", "1");
        p.put("poolgate.pools.main.autoscaling.policies.waiters.scale-up-threshold", "4");
        p.put("poolgate.pools.main.autoscaling.policies.waiters.scale-down-threshold", "1");
        p.put("poolgate.pools.main.autoscaling.policies.waiters.scale-up-increment", "0");
        assertEquals(List.of(
                "poolgate.pools.main.autoscaling.server-headroom: must be a share of max_connections in [0, 1), got 1.5",
                "poolgate.pools.main.autoscaling.policies.latency: unknown policy; use utilization, waiters, "
                        + "request-rate or acquire-latency",
                "poolgate.pools.main.autoscaling: scale-up-threshold (0.2) must be > scale-down-threshold (0.3)",
                "poolgate.pools.main.autoscaling.policies.waiters.scale-up-increment: must be >= 1, got 0"),
                errors(p));
    }
}
