package io.poolgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens signed with public-key algorithms: RS256 against a PEM key, ES256 against a JWKS file; claims as configured. */
class TokensTest {

    @TempDir
    Path dir;

    static Tokens tokens(Map<String, String> properties) {
        return new Tokens(new SmallRyeConfigBuilder().withMapping(AuthConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValues(properties).build().getConfigMapping(AuthConfig.class));
    }

    static String sign(KeyPair keys, String algorithm, String keyId, JwtClaims claims) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setKey(keys.getPrivate());
        if (keyId != null) {
            jws.setKeyIdHeaderValue(keyId);
        }
        return jws.getCompactSerialization();
    }

    static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("fn-reports");
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setStringListClaim("perms", List.of("read", "bogus"));
        claims.setStringListClaim("dbs", List.of("main"));
        claims.setClaim("pg_role", "reporting");
        return claims;
    }

    @Test
    void rs256AgainstAPemPublicKeyWithConfiguredClaimNames() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Path pem = dir.resolve("public-" + System.nanoTime() + ".pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Tokens tokens = tokens(Map.of("poolgate.auth.jwt.public-key-location", pem.toString(),
                "poolgate.auth.jwt.claims.scope", "perms", "poolgate.auth.jwt.claims.pools", "dbs",
                "poolgate.auth.jwt.claims.role", "pg_role"));

        Grant grant = tokens.verifyForBenchmark(sign(keys, AlgorithmIdentifiers.RSA_USING_SHA256, null, claims()));

        assertEquals("token 'fn-reports'", grant.name());
        assertEquals(EnumSet.of(Scope.READ), EnumSet.copyOf(grant.scopes()));
        assertEquals(Set.of("main"), grant.pools());
        assertEquals(Optional.of("reporting"), grant.role());
    }

    @Test
    void es256AgainstAJwksFileAndOnlyTheAcceptedAlgorithms() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(keys.getPublic());
        jwk.setKeyId("k1");
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JsonWebKeySet(jwk).toJson());
        String token = sign(keys, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "k1", claims());

        Grant grant = tokens(Map.of("poolgate.auth.jwt.public-key-location", jwks.toString()))
                .verifyForBenchmark(token);
        assertEquals("token 'fn-reports'", grant.name());
        assertEquals(Set.of(), grant.scopes()); // the default claim name is scope: this token has none

        Refusal refused = assertThrows(Refusal.class, () -> tokens(Map.of("poolgate.auth.jwt.public-key-location",
                jwks.toString(), "poolgate.auth.jwt.algorithms", "RS256")).verifyForBenchmark(token));
        assertEquals(Refusal.Reason.INVALID_TOKEN, refused.reason());
    }

    @Test
    void aWrongIssuerIsNamed() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Path pem = dir.resolve("public-" + System.nanoTime() + ".pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        JwtClaims claims = claims();
        claims.setIssuer("https://someone-else");
        Refusal refused = assertThrows(Refusal.class, () -> tokens(Map.of("poolgate.auth.jwt.public-key-location",
                pem.toString(), "poolgate.auth.jwt.issuer", "https://auth.example"))
                .verifyForBenchmark(sign(keys, AlgorithmIdentifiers.RSA_USING_SHA256, null, claims)));
        assertEquals(Refusal.Reason.WRONG_ISSUER, refused.reason());
    }
}
