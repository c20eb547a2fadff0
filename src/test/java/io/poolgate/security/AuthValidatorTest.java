package io.poolgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** poolgate.auth.* rules, each message naming the key and the rule, never a secret. */
class AuthValidatorTest {

    static final String HASH = Keys.hash("k");

    static AuthConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(AuthConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(properties).build().getConfigMapping(AuthConfig.class);
    }

    static List<String> check(Map<String, String> properties) {
        return AuthValidator.check(config(properties), Set.of("main", "cache"));
    }

    @Test
    void onWithoutKeysOrJwtNamesTheKeysKey() {
        List<String> errors = check(Map.of());
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("poolgate.auth.keys: authentication is on"), errors.get(0));
    }

    @Test
    void offWithoutKeysIsValid() {
        assertEquals(List.of(), check(Map.of("poolgate.auth.enabled", "false")));
    }

    @Test
    void aJwtSecretAloneIsEnough() {
        assertEquals(List.of(), check(Map.of("poolgate.auth.jwt.secret", "0123456789abcdef0123456789abcdef")));
    }

    @Test
    void aHashThatIsNotSha256IsRefusedWithoutShowingIt() {
        List<String> errors = check(Map.of("poolgate.auth.keys.app.hash", "my-actual-key",
                "poolgate.auth.keys.app.scopes", "read"));
        assertEquals(List.of("poolgate.auth.keys.app.hash: must be the hex SHA-256 of the key (64 hex digits), got 13 "
                + "characters; print a key and its hash with the command in README, Securing poolgate"), errors);
    }

    @Test
    void poolsMustExistAndRolesNeedALogin() {
        List<String> errors = check(Map.of("poolgate.auth.keys.app.hash", HASH, "poolgate.auth.keys.app.scopes",
                "write", "poolgate.auth.keys.app.pools", "main,nowhere", "poolgate.auth.keys.app.role", "web_anon"));
        assertEquals(List.of("poolgate.auth.keys.app.pools: no pool named 'nowhere' (pools: cache, main; * for all)",
                "poolgate.auth.keys.app.role: role 'web_anon' has no login; set poolgate.auth.roles.web_anon.password"),
                errors);
    }

    @Test
    void aShortJwtSecretIsRefusedByItsLength() {
        List<String> errors = check(Map.of("poolgate.auth.jwt.secret", "short-SECRET"));
        assertEquals(List.of("poolgate.auth.jwt.secret: must be at least 32 bytes for HS256, got 12"), errors);
        assertFalse(errors.get(0).contains("short-SECRET"));
    }

    @Test
    void twoKeysWithOneHashAreRefused() {
        List<String> errors = check(Map.of("poolgate.auth.keys.a.hash", HASH, "poolgate.auth.keys.a.scopes", "read",
                "poolgate.auth.keys.b.hash", HASH, "poolgate.auth.keys.b.scopes", "read"));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("the same hash as"), errors.get(0));
    }

    @Test
    void aRateLimitNeedsAPositiveRate() {
        List<String> errors = check(Map.of("poolgate.auth.keys.a.hash", HASH, "poolgate.auth.keys.a.scopes", "read",
                "poolgate.auth.keys.a.rate-limit.requests-per-second", "0"));
        assertEquals(List.of("poolgate.auth.keys.a.rate-limit.requests-per-second: must be >= 1, got 0"), errors);
    }
}
