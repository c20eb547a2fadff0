package io.poolgate.topology;

import io.poolgate.config.PoolgateConfig.Kind;
import io.poolgate.config.PoolgateConfig.PoolConfig;
import io.poolgate.pool.Connector;

/** Makes the {@link Connector} for pools of one kind; one CDI bean per backend kind. */
public interface ConnectorFactory {

    Kind kind();

    Connector<?> create(String pool, PoolConfig config);
}
