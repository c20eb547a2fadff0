package io.poolgate.neon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pool and the key, from the connection string Neon's driver sends (or a bearer token). */
class NeonCredentialsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "postgresql://app:k3y@main.poolgate.local/appdb, main, k3y",
        "postgresql://app:k3y@main/appdb, main, k3y",
        "postgres://app:k3y@main:5432/appdb?sslmode=require&application_name=x, main, k3y",
        "postgresql://app:p%40ss%3Aw%2Bord@reports.db.example/db, reports, p@ss:w+ord",
        "postgresql://a%40b:key@main/db, main, key" })
    void readsThePoolFromTheHostsFirstLabelAndTheKeyFromThePassword(String connection, String pool, String key) {
        assertEquals(new NeonCredentials(pool, key), NeonCredentials.of(connection, null));
    }

    @Test
    void aBearerTokenIsTheKeyWhenSent() {
        assertEquals(new NeonCredentials("main", "jwt"), NeonCredentials.of("postgresql://app:pw@main/db", "Bearer jwt"));
        assertEquals(new NeonCredentials("main", "jwt"), NeonCredentials.of("postgresql://app@main/db", "bearer jwt"));
    }

    @Test
    void refusesAMissingKeyWith401() {
        NeonException e = assertThrows(NeonException.class, () -> NeonCredentials.of("postgresql://app@main/db", null));
        assertEquals(401, e.status());
        assertEquals("no API key: put it in the password of Neon-Connection-String or send Authorization: Bearer <key>",
                e.getMessage());
        assertEquals(401, assertThrows(NeonException.class,
                () -> NeonCredentials.of("postgresql://app:k@main/db", "Basic eA==")).status());
    }

    @Test
    void refusesWhatNamesNoPool() {
        assertEquals("missing header Neon-Connection-String (postgresql://user:key@pool/db)",
                assertThrows(NeonException.class, () -> NeonCredentials.of(" ", null)).getMessage());
        assertEquals("Neon-Connection-String has no host; its first label names the pool (postgresql://user:key@pool/db)",
                assertThrows(NeonException.class, () -> NeonCredentials.of("postgresql://u:k@/db", null)).getMessage());
        assertEquals("Neon-Connection-String names an IP address as host; the host's first label must name a pool "
                + "(postgresql://user:key@pool/db)",
                assertThrows(NeonException.class, () -> NeonCredentials.of("postgresql://u:k@[::1]/db", null)).getMessage());
    }

    @Test
    void neverShowsTheKey() {
        assertEquals("pool 'main'", NeonCredentials.of("postgresql://app:secret@main/db", null).toString());
    }
}
