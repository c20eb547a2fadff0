package io.poolgate.security;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * The keys and JWT secret of {@link SecuredProfile}: recognisable strings, so tests can look for
 * them in everything the gateway says and logs.
 */
public final class Keys {

    public static final String READER = "pgk-READER-7f3a9c1e-SECRET";
    public static final String WRITER = "pgk-WRITER-2b8d4e6f-SECRET";
    public static final String OTHER_WRITER = "pgk-OTHERWRITER-5c2e-SECRET";
    public static final String ADMIN = "pgk-ADMIN-9e1f3b7d-SECRET";
    public static final String MAIN_ONLY = "pgk-MAINONLY-1a2b3c4d-SECRET";
    public static final String LIMITED = "pgk-LIMITED-6d5c4b3a-SECRET";
    public static final String METRICS = "pgk-METRICS-0f9e8d7c-SECRET";
    public static final String JWT_SECRET = "jwt-SECRET-for-hs256-at-least-32-bytes-long-0123";
    public static final String ISSUER = "https://issuer.poolgate.test";
    public static final String AUDIENCE = "poolgate-test";
    /** Every secret above, for the tests that look for leaks. */
    public static final List<String> ALL = List.of(READER, WRITER, OTHER_WRITER, ADMIN, MAIN_ONLY, LIMITED, METRICS,
            JWT_SECRET);

    private Keys() {
    }

    /** Hex SHA-256, as poolgate.auth.keys.<name>.hash takes it. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(ApiKeys.sha256(key));
    }

    /** A request with {@code Authorization: Bearer <key>}. */
    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /** An HS256 token signed with {@link #JWT_SECRET}; {@code expiresInSeconds} may be negative (expired) or null (no exp). */
    public static String jwt(String subject, String scope, List<String> pools, String audience,
            Long expiresInSeconds) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject(subject);
        claims.setIssuer(ISSUER);
        if (audience != null) {
            claims.setAudience(audience);
        }
        if (expiresInSeconds != null) {
            claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(
                    TimeUnit.MILLISECONDS.toSeconds(System.currentTimeMillis()) + expiresInSeconds));
        }
        claims.setIssuedAtToNow();
        claims.setClaim("scope", scope);
        if (pools != null) {
            claims.setStringListClaim("pools", pools);
        }
        return sign(claims.toJson(), JWT_SECRET);
    }

    static String sign(String payload, String secret) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(new HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
