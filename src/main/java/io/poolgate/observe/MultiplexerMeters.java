package io.poolgate.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.poolgate.redis.Multiplexer;
import io.poolgate.redis.Multiplexers;
import io.poolgate.topology.Pools;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

/**
 * The meters of each Redis pool's {@link Multiplexer}, read at scrape time: commands run on shared
 * connections are not acquisitions, so {@code poolgate_pool_operations_total} does not count them.
 */
@Singleton
final class MultiplexerMeters {

    private final MeterRegistry registry;

    MultiplexerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** After the multiplexers exist. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 650) StartupEvent event, Pools pools,
            Multiplexers multiplexers) {
        pools.all().forEach(pool -> {
            Multiplexer<?> multiplexer = multiplexers.of(pool.name());
            if (multiplexer == null) {
                return;
            }
            Tags tags = Tags.of("pool", pool.name(), "kind", "redis");
            FunctionCounter.builder("poolgate.redis.multiplexed.commands", multiplexer, m -> m.commands())
                    .description("commands run on connections shared by concurrent requests").tags(tags)
                    .register(registry);
            FunctionCounter.builder("poolgate.redis.multiplexed.overflow", multiplexer, m -> m.overflowed())
                    .description("commands that found their shared connection full and took one of their own")
                    .tags(tags).register(registry);
            Gauge.builder("poolgate.redis.shared.connections", multiplexer, m -> m.connections())
                    .description("connections lent to the multiplexer (counted as in use)").tags(tags)
                    .register(registry);
            Gauge.builder("poolgate.redis.multiplexed.in.flight", multiplexer, m -> m.inFlight())
                    .description("commands sent on shared connections and not answered yet").tags(tags)
                    .register(registry);
        });
    }
}
