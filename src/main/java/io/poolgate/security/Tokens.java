package io.poolgate.security;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jboss.logging.Logger;

/**
 * JWT bearer tokens, verified by smallrye-jwt (signature, {@code exp} always, {@code iss} and
 * {@code aud} when configured) with poolgate's own settings rather than {@code mp.jwt.*}: the
 * extension's mechanism is off ({@code quarkus.smallrye-jwt.enabled=false}) because one bearer
 * header carries either an API key or a JWT and {@link BearerMechanism} tells which.
 */
@Singleton
final class Tokens implements IdentityProvider<TokenAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(Tokens.class);

    private final DefaultJWTParser parser;
    private final AuthConfig.ClaimsConfig claims;

    Tokens(AuthConfig config) {
        AuthConfig.JwtConfig jwt = config.jwt();
        this.claims = jwt.claims();
        this.parser = AuthValidator.jwtConfigured(jwt) ? new DefaultJWTParser(context(jwt)) : null;
    }

    private static JWTAuthContextInfo context(AuthConfig.JwtConfig jwt) {
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        if (jwt.secret().isPresent()) {
            info.setSecretVerificationKey(new SecretKeySpec(jwt.secret().get().getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
        } else {
            String location = jwt.publicKeyLocation().get();
            Set<SignatureAlgorithm> algorithms = jwt.algorithms().stream().map(SignatureAlgorithm::fromAlgorithm)
                    .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
            PublicKey pem = pemPublicKey(location);
            if (pem != null) {
                // smallrye-jwt would decode a PEM key as the type of the first algorithm of the set
                info.setPublicVerificationKey(pem);
                String family = pem.getAlgorithm().equals("EC") ? "ES" : "RS";
                algorithms.removeIf(a -> !a.getAlgorithm().startsWith(family)
                        && !(family.equals("RS") && a.getAlgorithm().startsWith("PS")));
            } else {
                info.setPublicKeyLocation(location); // a JWKS: its keys say their type
            }
            info.setSignatureAlgorithm(algorithms);
        }
        jwt.issuer().ifPresent(info::setIssuedBy);
        jwt.audience().ifPresent(info::setExpectedAudience);
        info.setClockSkew((int) jwt.clockSkew().toSeconds());
        info.setMaxTimeToLiveSecs(0L); // exp is required; iat is not
        info.setRequireNamedPrincipal(false);
        return info;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        TokenCredential token = request.getToken();
        if (parser == null) {
            return Uni.createFrom().failure(Refusal.unauthenticated(Refusal.Reason.INVALID_TOKEN,
                    "the bearer credential looks like a JWT, but no JWT verification is configured "
                            + "(poolgate.auth.jwt.secret or poolgate.auth.jwt.public-key-location)"));
        }
        // a key file is read once and cached; verification is CPU work of some tens of microseconds
        return Uni.createFrom().item(() -> ApiKeys.identity(grant(verify(token.getToken()))));
    }

    /** The key of a PEM {@code PUBLIC KEY} file (RSA or EC), or null for anything else (a JWKS, a classpath resource). */
    static PublicKey pemPublicKey(String location) {
        java.nio.file.Path file = AuthValidator.file(location);
        if (file == null) {
            return null;
        }
        String content;
        try {
            content = java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("poolgate.auth.jwt.public-key-location: cannot read '" + location + "'", e);
        }
        if (!content.contains("-----BEGIN PUBLIC KEY-----")) {
            return null;
        }
        byte[] der = java.util.Base64.getMimeDecoder().decode(content.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", ""));
        for (String type : new String[] {"RSA", "EC"}) {
            try {
                return java.security.KeyFactory.getInstance(type).generatePublic(new java.security.spec.X509EncodedKeySpec(der));
            } catch (java.security.GeneralSecurityException e) {
                LOG.debugf("poolgate.auth.jwt.public-key-location is not an %s key: %s", type, e.getMessage());
            }
        }
        throw new IllegalStateException("poolgate.auth.jwt.public-key-location: '" + location
                + "' holds a PUBLIC KEY that is neither RSA nor EC");
    }

    /** For AuthBenchmark: verification and claim mapping, without the identity machinery. */
    Grant verifyForBenchmark(String token) {
        return grant(verify(token));
    }

    private JsonWebToken verify(String token) {
        try {
            return parser.parse(token);
        } catch (ParseException e) {
            throw refusal(e);
        }
    }

    private static Refusal refusal(ParseException e) {
        InvalidJwtException invalid = invalid(e);
        if (invalid != null) {
            if (invalid.hasExpired()) {
                return Refusal.unauthenticated(Refusal.Reason.EXPIRED_TOKEN, "the token has expired (its exp is past)");
            }
            if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
                return Refusal.unauthenticated(Refusal.Reason.INVALID_TOKEN, "the token has no exp claim; "
                        + "poolgate accepts only tokens that expire");
            }
            if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                return Refusal.unauthenticated(Refusal.Reason.WRONG_AUDIENCE, "the token's aud does not name this "
                        + "gateway (poolgate.auth.jwt.audience)");
            }
            if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                return Refusal.unauthenticated(Refusal.Reason.WRONG_ISSUER, "the token's iss is not the configured "
                        + "issuer (poolgate.auth.jwt.issuer)");
            }
            if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                return Refusal.unauthenticated(Refusal.Reason.INVALID_TOKEN, "the token's signature does not verify");
            }
            String codes = invalid.getErrorDetails().stream().map(ErrorCodeValidator.Error::getErrorCode)
                    .map(String::valueOf).collect(Collectors.joining(","));
            LOG.debugf("token refused, jose4j error codes %s", codes);
        }
        return Refusal.unauthenticated(Refusal.Reason.INVALID_TOKEN, "the token could not be verified (a signed "
                + "JWT with an algorithm and key this gateway accepts is expected)");
    }

    private static InvalidJwtException invalid(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid) {
                return invalid;
            }
        }
        return null;
    }

    /** Scopes, pools and role from the configured claims; unknown scope words are ignored. */
    private Grant grant(JsonWebToken token) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String word : words(token.getClaim(claims.scope()))) {
            for (Scope scope : Scope.values()) {
                if (scope.label().equals(word.toLowerCase(Locale.ROOT))) {
                    scopes.add(scope);
                }
            }
        }
        Object poolClaim = token.getClaim(claims.pools());
        Set<String> pools = poolClaim == null ? Set.of(Grant.ALL_POOLS) : new HashSet<>(words(poolClaim));
        Optional<String> role = Optional.ofNullable(token.getClaim(claims.role())).map(Tokens::text)
                .filter(r -> !r.isBlank());
        String subject = token.getSubject() != null ? token.getSubject() : token.getName();
        return new Grant("token '" + (subject == null ? "no subject" : subject) + "'", scopes, pools, role, null);
    }

    /** A claim as words: a space-separated string, or a JSON array of strings. */
    private static Collection<String> words(Object claim) {
        if (claim == null) {
            return Set.of();
        }
        if (claim instanceof jakarta.json.JsonArray array) {
            return array.stream().map(Tokens::text).toList();
        }
        if (claim instanceof Collection<?> list) {
            return list.stream().map(Tokens::text).toList();
        }
        return java.util.Arrays.stream(text(claim).split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private static String text(Object value) {
        if (value instanceof jakarta.json.JsonString string) {
            return string.getString();
        }
        return String.valueOf(value);
    }
}
