package io.poolgate.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The configured API keys. A presented key is hashed (SHA-256) and its hash compared with every
 * configured hash in constant time ({@link MessageDigest#isEqual}), all of them, so neither the
 * comparison nor the loop tells how close a guess was or which key it resembled.
 */
@Singleton
final class ApiKeys implements IdentityProvider<ApiKeyRequest> {

    /** A configured key: its hash and what it grants. */
    private record Entry(byte[] hash, Grant grant) {
    }

    private final List<Entry> keys = new ArrayList<>();
    private final byte[] metricsHash;
    private final Grant metrics;

    ApiKeys(AuthConfig config) {
        config.keys().forEach((name, key) -> {
            if (AuthValidator.HASH.matcher(key.hash()).matches()) { // the validator reports the others at start-up
                keys.add(new Entry(HexFormat.of().parseHex(key.hash()), grant(name, key)));
            }
        });
        this.metricsHash = config.metricsKey().filter(h -> AuthValidator.HASH.matcher(h).matches())
                .map(h -> HexFormat.of().parseHex(h)).orElse(null);
        this.metrics = new Grant("metrics key", Set.of(Scope.METRICS), Set.of(), java.util.Optional.empty(), null);
    }

    private static Grant grant(String name, AuthConfig.KeyConfig key) {
        Bucket limit = key.rateLimit().map(l -> Bucket.builder().addLimit(Bandwidth.builder()
                .capacity(l.burst().orElse(l.requestsPerSecond()))
                .refillGreedy(l.requestsPerSecond(), Duration.ofSeconds(1)).build()).build()).orElse(null);
        return new Grant("key '" + name + "'", key.scopes(), new HashSet<>(key.pools()), key.role(), limit);
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        Grant grant = find(request.key());
        if (grant == null) {
            return Uni.createFrom().failure(Refusal.unauthenticated(Refusal.Reason.UNKNOWN_KEY,
                    "the bearer key is not one of the configured keys (poolgate.auth.keys)"));
        }
        return Uni.createFrom().item(identity(grant));
    }

    /** The grant of {@code key}, or null. Looks at every configured hash whatever it finds. */
    Grant find(String key) {
        byte[] hash = sha256(key);
        Grant found = null;
        for (Entry entry : keys) {
            if (MessageDigest.isEqual(entry.hash(), hash)) {
                found = entry.grant();
            }
        }
        if (metricsHash != null && MessageDigest.isEqual(metricsHash, hash)) {
            found = metrics;
        }
        return found;
    }

    static SecurityIdentity identity(Grant grant) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(grant.name()))
                .addAttribute(Grant.ATTRIBUTE, grant);
        grant.scopes().forEach(scope -> builder.addRole(scope.label()));
        return builder.build();
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
