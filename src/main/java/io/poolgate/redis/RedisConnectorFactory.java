package io.poolgate.redis;

import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.config.PoolgateConfig.PoolConfig;
import io.poolgate.pool.Connector;
import io.poolgate.topology.ConnectorFactory;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

/** Connectors for {@code kind: redis} pools. */
@Singleton
final class RedisConnectorFactory implements ConnectorFactory {

    private final Vertx vertx;

    RedisConnectorFactory(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Kind kind() {
        return Kind.REDIS;
    }

    @Override
    public Connector<?> create(String pool, PoolConfig config) {
        return new RedisConnector(vertx, pool, config.size().max());
    }
}
