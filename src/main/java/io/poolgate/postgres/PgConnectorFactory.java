package io.poolgate.postgres;

import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.config.PoolgateConfig.PoolConfig;
import io.poolgate.pool.Connector;
import io.poolgate.topology.ConnectorFactory;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.util.List;

/** Connectors for {@code kind: postgres} pools. */
@Singleton
final class PgConnectorFactory implements ConnectorFactory {

    private final Vertx vertx;

    PgConnectorFactory(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Kind kind() {
        return Kind.POSTGRES;
    }

    @Override
    public Connector<?> create(String pool, PoolConfig config) {
        return new PgConnector(vertx, pool, config.initSql().orElse(List.of()), io.poolgate.config.ConfigValidator.statementTimeout(config),
                config.reuse().resetOnRelease());
    }
}
