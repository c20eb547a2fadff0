package io.poolgate.security;

import io.github.bucket4j.TimeMeter;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Reads the credentials of a request: {@code Authorization: Bearer <key or JWT>}; {@code Basic}
 * with the key as password (so a browser can open the status page); on Neon's {@code /sql}, the
 * password of the {@code Neon-Connection-String} header, which is where Neon's driver puts it.
 * A credential with the shape of a JWT (three base64url parts) goes to {@link Tokens}, anything
 * else to {@link ApiKeys}. No credentials: anonymous, and the {@link Gate} decides.
 */
@Singleton
final class BearerMechanism implements HttpAuthenticationMechanism {

    static final String NEON_CONNECTION_STRING = "Neon-Connection-String";
    private static final int MAX_CREDENTIAL = 16 * 1024;

    private final boolean enabled;
    private final FailedAuthentications failures;

    BearerMechanism(AuthConfig config) {
        this.enabled = config.enabled();
        this.failures = new FailedAuthentications(config.failures().burst(), config.failures().perMinute(),
                TimeMeter.SYSTEM_NANOTIME);
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (!enabled || Routes.isOpen(context.normalizedPath())) {
            return Uni.createFrom().nullItem(); // credentials on health probes are not looked at
        }
        String credential;
        try {
            credential = credential(context);
        } catch (Refusal malformed) {
            return refuse(context, malformed);
        }
        if (credential == null) {
            return Uni.createFrom().nullItem();
        }
        String address = address(context);
        long wait = failures.waitSeconds(address);
        if (wait > 0) {
            return Uni.createFrom().failure(Refusal.limited(Refusal.Reason.TOO_MANY_FAILURES, wait,
                    "too many failed authentications from " + address + "; try again in " + wait + " s"));
        }
        AuthenticationRequest request = looksLikeJwt(credential)
                ? new TokenAuthenticationRequest(new TokenCredential(credential, "bearer"))
                : new ApiKeyRequest(credential);
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context))
                .onFailure(Refusal.class).invoke(refusal -> failures.failed(address, ((Refusal) refusal).reason()));
    }

    private Uni<SecurityIdentity> refuse(RoutingContext context, Refusal refusal) {
        failures.failed(address(context), refusal.reason());
        return Uni.createFrom().failure(refusal);
    }

    /** The credential, null when none was sent, or a {@link Refusal} when it cannot be read. */
    static String credential(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Routes.isNeon(context.normalizedPath())
                    ? neonPassword(context.request().getHeader(NEON_CONNECTION_STRING)) : null;
        }
        if (header.length() > MAX_CREDENTIAL) {
            throw malformed("the Authorization header is over " + MAX_CREDENTIAL + " characters");
        }
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String value = space < 0 ? "" : header.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            if (value.isEmpty() || value.indexOf(' ') >= 0) {
                throw malformed("the Authorization header must be 'Bearer <key or token>' with one credential");
            }
            return value;
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            return basicPassword(value);
        }
        throw malformed("the Authorization header's scheme must be Bearer (or Basic with the key as password), got '"
                + (scheme.length() > 20 ? scheme.substring(0, 20) + "..." : scheme) + "'");
    }

    private static String basicPassword(String value) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed("the Basic credentials are not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0 || colon == decoded.length() - 1) {
            throw malformed("the Basic credentials must be user:key, with the key as password");
        }
        return decoded.substring(colon + 1);
    }

    /** {@code postgresql://user:KEY@pool.host/db}: the key is the password. */
    private static String neonPassword(String connectionString) {
        if (connectionString == null) {
            return null;
        }
        try {
            String userInfo = URI.create(connectionString.trim()).getRawUserInfo();
            if (userInfo == null || userInfo.indexOf(':') < 0) {
                return null;
            }
            String password = java.net.URLDecoder.decode(userInfo.substring(userInfo.indexOf(':') + 1),
                    StandardCharsets.UTF_8);
            return password.isEmpty() ? null : password;
        } catch (IllegalArgumentException e) {
            throw malformed("the " + NEON_CONNECTION_STRING + " header is not a URL");
        }
    }

    private static Refusal malformed(String detail) {
        return Refusal.unauthenticated(Refusal.Reason.MALFORMED_CREDENTIALS, detail);
    }

    /** Three dot-separated base64url parts, the first one a JSON object ({@code eyJ}). */
    static boolean looksLikeJwt(String credential) {
        int first = credential.indexOf('.');
        return credential.startsWith("eyJ") && first > 0 && credential.indexOf('.', first + 1) > first + 1
                && credential.chars().filter(c -> c == '.').count() == 2;
    }

    static String address(RoutingContext context) {
        var remote = context.request().remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"poolgate\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class, TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
