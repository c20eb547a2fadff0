package io.poolgate.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the gateway: {@code poolgate.auth.*}. Keys and secrets come from the environment or
 * a mounted Secret, never from the ConfigMap: the configuration holds only the SHA-256 of each key.
 */
@ConfigMapping(prefix = "poolgate.auth")
public interface AuthConfig {

    /**
     * Whether every request (except {@code /q/health/*}, {@code /q/metrics} and {@code /q/openapi})
     * needs a key or a token. On unless set to {@code false}, the only way to run open; start-up
     * then logs a warning, and fails when it is on with no key and no JWT verification configured.
     */
    @WithDefault("true")
    boolean enabled();

    /** API keys by name (the name shows in logs and lease owners, the key never does). */
    Map<String, KeyConfig> keys();

    /** JWT bearer tokens, verified by smallrye-jwt. */
    JwtConfig jwt();

    /**
     * Hex SHA-256 of the bearer token Prometheus sends for {@code /q/metrics}; unset: metrics stay
     * open (an admin key is accepted too once it is set).
     */
    Optional<String> metricsKey();

    /** The PostgreSQL logins of the database roles that keys and tokens map to, by role name. */
    Map<String, RoleConfig> roles();

    /** The per-client-address limit on failed authentications. */
    FailuresConfig failures();

    /** One API key. */
    interface KeyConfig {

        /** Hex SHA-256 of the key (64 hex digits), so no configuration file holds the key itself. */
        String hash();

        /** What the key may do: {@code read}, {@code write}, {@code admin}, {@code metrics}. */
        Set<Scope> scopes();

        /** The pools the key may use, by name; {@code *} for every pool. */
        @WithDefault("*")
        List<String> pools();

        /** The PostgreSQL role whose login serves this key's SQL; unset: the pool's own login. */
        Optional<String> role();

        /** Requests this key may make; unset: unlimited. */
        Optional<RateLimitConfig> rateLimit();
    }

    /** A token bucket: {@code requests-per-second} refill, {@code burst} capacity. */
    interface RateLimitConfig {

        /** Sustained requests per second, at least 1. */
        int requestsPerSecond();

        /** Requests that may come at once after a quiet spell; unset: {@code requests-per-second}. */
        Optional<Integer> burst();
    }

    /** JWT verification: one of {@code secret} (HS256) or {@code public-key-location} (RS256 / ES256). */
    interface JwtConfig {

        /** HS256 shared secret, at least 32 bytes. */
        Optional<String> secret();

        /** A PEM public key or a JWKS file (path, {@code file:} or {@code classpath:} URL) for RS256 / ES256. */
        Optional<String> publicKeyLocation();

        /** Signature algorithms accepted with {@code public-key-location}. */
        @WithDefault("RS256,ES256")
        Set<String> algorithms();

        /** The {@code iss} every token must carry; unset: not checked. */
        Optional<String> issuer();

        /** One of these must be in the token's {@code aud}; unset: not checked. */
        Optional<Set<String>> audience();

        /** Clock skew allowed on {@code exp} (which every token must have). */
        @WithDefault("30s")
        Duration clockSkew();

        /** The claims that carry what a token grants. */
        ClaimsConfig claims();
    }

    /** Claim names; the defaults follow OAuth ({@code scope}) and PostgREST ({@code role}). */
    interface ClaimsConfig {

        /** Space-separated scopes (a string) or a list of them. */
        @WithDefault("scope")
        String scope();

        /** A list of pool names (or {@code "*"}); absent: every pool. */
        @WithDefault("pools")
        String pools();

        /** The PostgreSQL role, as PostgREST's {@code role} claim. */
        @WithDefault("role")
        String role();
    }

    /** A database role's login. */
    interface RoleConfig {

        /** Its password on every PostgreSQL node; from a Secret or an environment variable, never shown. */
        String password();

        /**
         * The most connections logged in as this role that a pool keeps on each of its nodes: they
         * are opened on demand, and close when idle past the pool's idle timeout.
         */
        @io.smallrye.config.WithDefault("5")
        int maxConnections();
    }

    /** Failed authentications per client address: past the burst, the address gets 429s. */
    interface FailuresConfig {

        /** Failures allowed at once. */
        @WithDefault("10")
        int burst();

        /** Failures forgiven per minute. */
        @WithDefault("30")
        int perMinute();
    }
}
