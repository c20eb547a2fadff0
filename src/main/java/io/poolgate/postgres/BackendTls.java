package io.poolgate.postgres;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.TrustManagerFactory;

/**
 * libpq's {@code sslmode} and {@code sslrootcert} for the Vert.x client, which parses
 * {@code sslmode} but not what each mode needs:
 * <ul>
 * <li>{@code require}: encrypted, the certificate not checked (libpq's meaning; Vert.x would check
 *     it against the JVM's CAs and refuse a self-signed server);
 * <li>{@code verify-ca}: encrypted, the certificate signed by {@code sslrootcert} (a PEM file), or
 *     by the JVM's CAs with {@code sslrootcert=system} or without it;
 * <li>{@code verify-full}: as verify-ca, and the certificate names the host.
 * </ul>
 */
final class BackendTls {

    private BackendTls() {
    }

    static PgConnectOptions configure(PgConnectOptions options, String url) {
        SslMode mode = options.getSslMode();
        if (mode == SslMode.DISABLE || mode == SslMode.ALLOW || mode == SslMode.PREFER) {
            if (mode != SslMode.DISABLE) {
                options.setTrustAll(true); // opportunistic, as libpq: no verification
            }
            return options;
        }
        if (mode == SslMode.REQUIRE) {
            return options.setTrustAll(true);
        }
        String rootCert = parameter(url, "sslrootcert");
        options.setTrustOptions(rootCert == null || rootCert.equals("system") ? systemTrust()
                : new PemTrustOptions().addCertPath(rootCert));
        if (mode == SslMode.VERIFY_FULL) {
            options.setHostnameVerificationAlgorithm("HTTPS");
        }
        return options;
    }

    /** The JVM's own CAs (in a native image, those of the build's JDK). */
    private static TrustOptions systemTrust() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return TrustOptions.wrap(factory);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's default trust store cannot be read", e);
        }
    }

    static String parameter(String url, String name) {
        String query = URI.create(url).getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
