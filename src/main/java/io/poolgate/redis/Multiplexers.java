package io.poolgate.redis;

import io.poolgate.config.PoolgateConfig;
import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.topology.Pools;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import io.poolgate.pool.Outcome;
import io.poolgate.pool.Ticker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link Multiplexer} of each Redis pool that has {@code multiplex} on (the default). */
@Singleton
public class Multiplexers {

    /** How often overdue commands, idle and long-held shared connections are looked for. */
    static final long INTERVAL_MILLIS = 250;
    /** How long one connection is shared at most (less when the leak threshold is lower). */
    static final Duration MAX_HOLD = Duration.ofSeconds(30);

    private final Pools pools;
    private final Vertx vertx;
    private final Map<String, Multiplexer<RedisLink>> byPool = new ConcurrentHashMap<>();
    private long timer = -1;

    Multiplexers(Pools pools, Vertx vertx) {
        this.pools = pools;
        this.vertx = vertx;
    }

    /** After the pools exist (Pools starts at the default priority). */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        pools.config().pools().forEach((name, config) -> {
            if (config.kind() == Kind.REDIS && config.multiplex()) {
                byPool.put(name, new Multiplexer<RedisLink>(pools.get(name, Kind.REDIS), Ticker.SYSTEM,
                        io.vertx.core.Context::isOnEventLoopThread,
                        error -> RedisCommands.outcome(List.of(), error) == Outcome.BROKEN,
                        config.commandTimeout(), maxHold(config)));
            }
        });
        if (!byPool.isEmpty()) {
            timer = vertx.setPeriodic(INTERVAL_MILLIS, id -> {
                long now = Ticker.SYSTEM.nanoTime();
                byPool.values().forEach(m -> m.maintain(now));
            });
        }
    }

    static Duration maxHold(PoolgateConfig.PoolConfig config) {
        Duration leak = config.leakThreshold();
        return leak.isZero() || leak.dividedBy(2).compareTo(MAX_HOLD) >= 0 ? MAX_HOLD : leak.dividedBy(2);
    }

    /** Before the pools drain: shared connections go back as soon as their commands have answered. */
    void stop(@Observes @Priority(Interceptor.Priority.APPLICATION + 400) ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        byPool.values().forEach(Multiplexer::close);
    }

    /** The pool's multiplexer; null when it does not multiplex. */
    public Multiplexer<RedisLink> of(String pool) {
        return byPool.get(pool);
    }
}
