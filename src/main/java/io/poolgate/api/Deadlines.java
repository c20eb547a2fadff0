package io.poolgate.api;

import io.poolgate.config.ConfigValidator;
import io.poolgate.config.PoolgateConfig;
import io.poolgate.redis.RedisLink;
import io.vertx.pgclient.PgConnection;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Each pool's {@link Deadline}s, from its configuration: SQL work may take {@code statement-timeout}
 * per statement plus {@code deadline-grace} (PostgreSQL's own timeout fires first when the server
 * is alive), a Redis request {@code command-timeout}.
 */
@Singleton
public final class Deadlines {

    private final Map<String, Duration> statement = new HashMap<>();
    private final Map<String, Duration> grace = new HashMap<>();
    private final Map<String, Deadline<RedisLink>> redis = new HashMap<>();

    Deadlines(PoolgateConfig config) {
        config.pools().forEach((name, pool) -> {
            statement.put(name, ConfigValidator.statementTimeout(pool));
            grace.put(name, pool.deadlineGrace());
            redis.put(name, new Deadline<>("command", pool.commandTimeout(), Duration.ZERO,
                    LeasedCall::nothingToInterrupt));
        });
    }

    /** For {@code statements} SQL statements on {@code pool}. */
    public Deadline<PgConnection> sql(String pool, int statements) {
        Duration perStatement = statement.get(pool);
        Duration margin = grace.get(pool);
        return new Deadline<>(statements == 1 ? "statement" : "batch", perStatement.multipliedBy(statements).plus(margin),
                margin, LeasedCall::cancelStatement);
    }

    /** For one Redis request (a command, a pipeline or a transaction) on {@code pool}. */
    public Deadline<RedisLink> redis(String pool) {
        return redis.get(pool);
    }
}
