package io.poolgate.pool;

/**
 * A server's connection limits and use, for the scaler's ceiling.
 *
 * @param maxConnections the server's {@code max_connections}
 * @param reserved       connections ordinary clients may not use ({@code superuser_reserved_connections},
 *                       and {@code reserved_connections} on PostgreSQL 16+)
 * @param connections    client connections open now, from everyone (the pool's own included)
 */
public record ServerLoad(int maxConnections, int reserved, int connections) {
}
