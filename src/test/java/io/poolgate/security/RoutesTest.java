package io.poolgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.poolgate.security.Routes.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each path needs; anything unlisted or odd is the operator's. */
class RoutesTest {

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(nullValues = "-", value = {
        "GET, /q/health/ready, OPEN, -",
        "GET, /q/health, OPEN, -",
        "GET, /q/openapi, OPEN, -",
        "GET, /q/metrics, METRICS, -",
        "GET, /q/dev-ui, ADMIN, -",
        "POST, /api/v1/pools/main/query, CLIENT, main",
        "POST, /api/v1/pools/main/batch, CLIENT, main",
        "POST, /api/v1/pools/cache/command, CLIENT, cache",
        "POST, /api/v1/pools/cache/pipeline, CLIENT, cache",
        "POST, /api/v1/pools/main/sessions, CLIENT, main",
        "GET, /api/v1/pools/main/sessions, ADMIN, main",
        "POST, /api/v1/sessions/s_abc/query, SESSION, -",
        "DELETE, /api/v1/sessions/s_abc, SESSION, -",
        "GET, /api/v1/pools, ADMIN, -",
        "GET, /api/v1/pools/main, ADMIN, main",
        "POST, /api/v1/pools/main/pause, ADMIN, main",
        "PUT, /api/v1/pools/main/nodes/primary, ADMIN, main",
        "POST, /api/v1/pools/main/query/extra, ADMIN, main",
        "POST, /api/v1//pools/main/query, ADMIN, -",
        "POST, /api/v1/pools/main;x=1/query, ADMIN, -",
        "POST, /upstash/cache, CLIENT, cache",
        "POST, /upstash/cache/pipeline, CLIENT, cache",
        "GET, /, ADMIN, -",
        "GET, /status.js, ADMIN, -",
        "GET, /anything/else, ADMIN, -"})
    void classifies(String method, String path, Kind kind, String pool) {
        assertEquals(new Routes.Route(kind, pool), Routes.classify(method, path, header -> null));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "postgresql://app:key@main.gateway.example/db, main",
        "postgres://app:key@cache/db, cache",
        "not a url, -",
        "-, -"})
    void neonNamesThePoolInTheConnectionStringsHost(String connectionString, String pool) {
        assertEquals(new Routes.Route(Kind.CLIENT, pool), Routes.classify("POST", "/sql", header -> connectionString));
    }
}
