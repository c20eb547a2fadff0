package io.poolgate.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks {@code poolgate.auth.*} at start-up. Messages name the key, the rule and the value, except
 * where the value may be a secret: then they say what it looks like (its length), never what it is.
 */
public final class AuthValidator {

    static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
    /** An unquoted PostgreSQL identifier. */
    static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");
    private static final int MIN_SECRET_BYTES = 32;

    private final List<String> errors = new ArrayList<>();

    private AuthValidator() {
    }

    /** Every rule {@code config} breaks, given the configured pools; empty when it is valid. */
    public static List<String> check(AuthConfig config, Set<String> poolNames) {
        AuthValidator validator = new AuthValidator();
        validator.credentials(config);
        Map<String, String> hashes = new HashMap<>();
        config.keys().forEach((name, key) -> validator.key(name, key, poolNames, config.roles().keySet(), hashes));
        validator.jwt(config.jwt());
        config.metricsKey().ifPresent(hash -> validator.hash("poolgate.auth.metrics-key", hash));
        config.roles().forEach(validator::role);
        if (config.failures().burst() < 1) {
            validator.errors.add("poolgate.auth.failures.burst: must be >= 1, got " + config.failures().burst());
        }
        if (config.failures().perMinute() < 1) {
            validator.errors.add("poolgate.auth.failures.per-minute: must be >= 1, got "
                    + config.failures().perMinute());
        }
        return List.copyOf(validator.errors);
    }

    static boolean jwtConfigured(AuthConfig.JwtConfig jwt) {
        return jwt.secret().isPresent() || jwt.publicKeyLocation().isPresent();
    }

    private void credentials(AuthConfig config) {
        if (config.enabled() && config.keys().isEmpty() && !jwtConfigured(config.jwt())) {
            errors.add("poolgate.auth.keys: authentication is on (poolgate.auth.enabled=true) but no key is configured "
                    + "and no JWT verification either; add poolgate.auth.keys.<name>.hash (see README, Securing "
                    + "poolgate), or poolgate.auth.jwt.secret / poolgate.auth.jwt.public-key-location, or set "
                    + "poolgate.auth.enabled=false to run without authentication");
        }
    }

    private void key(String name, AuthConfig.KeyConfig key, Set<String> poolNames, Set<String> roles,
            Map<String, String> hashes) {
        String prefix = "poolgate.auth.keys." + name;
        if (hash(prefix + ".hash", key.hash())) {
            String other = hashes.putIfAbsent(key.hash().toLowerCase(), name);
            if (other != null) {
                errors.add(prefix + ".hash: the same hash as poolgate.auth.keys." + other
                        + ".hash; every key must be different");
            }
        }
        if (key.scopes().isEmpty()) {
            errors.add(prefix + ".scopes: at least one of read, write, admin, metrics is required");
        }
        for (String pool : key.pools()) {
            if (!pool.equals(Grant.ALL_POOLS) && !poolNames.contains(pool)) {
                errors.add(prefix + ".pools: no pool named '" + pool + "' (pools: " + String.join(", ",
                        poolNames.stream().sorted().toList()) + "; * for all)");
            }
        }
        key.role().ifPresent(role -> {
            if (!ROLE.matcher(role).matches()) {
                errors.add(prefix + ".role: must be a PostgreSQL role name matching " + ROLE.pattern() + ", got '"
                        + role + "'");
            } else if (!roles.contains(role)) {
                errors.add(prefix + ".role: role '" + role + "' has no login; set poolgate.auth.roles." + role
                        + ".password");
            }
        });
        key.rateLimit().ifPresent(limit -> {
            if (limit.requestsPerSecond() < 1) {
                errors.add(prefix + ".rate-limit.requests-per-second: must be >= 1, got " + limit.requestsPerSecond());
            }
            limit.burst().filter(burst -> burst < 1).ifPresent(burst -> errors.add(prefix
                    + ".rate-limit.burst: must be >= 1, got " + burst));
        });
    }

    private boolean hash(String key, String hash) {
        if (!HASH.matcher(hash).matches()) {
            // the value may be a key pasted by mistake: say what it looks like, not what it is
            errors.add(key + ": must be the hex SHA-256 of the key (64 hex digits), got " + hash.length()
                    + " characters; print a key and its hash with the command in README, Securing poolgate");
            return false;
        }
        return true;
    }

    private void jwt(AuthConfig.JwtConfig jwt) {
        if (jwt.secret().isPresent() && jwt.publicKeyLocation().isPresent()) {
            errors.add("poolgate.auth.jwt: set secret (HS256) or public-key-location (RS256/ES256), not both");
        }
        jwt.secret().ifPresent(secret -> {
            int bytes = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes < MIN_SECRET_BYTES) {
                errors.add("poolgate.auth.jwt.secret: must be at least " + MIN_SECRET_BYTES + " bytes for HS256, got "
                        + bytes);
            }
        });
        jwt.publicKeyLocation().ifPresent(location -> {
            Path file = file(location);
            if (file != null && !Files.isReadable(file)) {
                errors.add("poolgate.auth.jwt.public-key-location: cannot read '" + location + "'");
            }
        });
        for (String algorithm : jwt.algorithms()) {
            if (!Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512")
                    .contains(algorithm)) {
                errors.add("poolgate.auth.jwt.algorithms: must be RS256, RS384, RS512, ES256, ES384, ES512, PS256, "
                        + "PS384 or PS512, got '" + algorithm + "'");
            }
        }
        if (jwt.clockSkew().isNegative()) {
            errors.add("poolgate.auth.jwt.clock-skew: must be >= 0, got " + jwt.clockSkew());
        }
    }

    /** A file path, or null for a location that is not a file (classpath:, http:). */
    static Path file(String location) {
        if (location.startsWith("file:")) {
            return Path.of(location.substring("file:".length()).replaceFirst("^//", ""));
        }
        return location.contains(":") ? null : Path.of(location);
    }

    private void role(String name, AuthConfig.RoleConfig role) {
        String prefix = "poolgate.auth.roles." + name;
        if (!ROLE.matcher(name).matches()) {
            errors.add(prefix + ": the role name must match " + ROLE.pattern() + ", got '" + name + "'");
        }
        if (role.password().isBlank()) {
            errors.add(prefix + ".password: must not be empty");
        }
        if (role.maxConnections() < 1) {
            errors.add(prefix + ".max-connections: must be >= 1, got " + role.maxConnections());
        }
    }
}
