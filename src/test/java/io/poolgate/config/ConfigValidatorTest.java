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
}
