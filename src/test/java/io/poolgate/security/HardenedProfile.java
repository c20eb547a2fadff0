package io.poolgate.security;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/**
 * {@link SecuredProfile} behind HTTPS only (a certificate made at test time, plain HTTP off), with
 * the {@link HardenedBackends} pools, and the gateway's log in a file at DEBUG for the tests that
 * look for secrets in it.
 */
public class HardenedProfile extends SecuredProfile {

    public static final java.nio.file.Path LOG = java.nio.file.Path.of("target", "hardened-gateway.log")
            .toAbsolutePath();
    /** The plain HTTP port the gateway would use if plain HTTP were on. */
    static final int HTTP_PORT = freePort();

    @Override
    public Map<String, String> getConfigOverrides() {
        TestCertificates.create();
        Map<String, String> config = super.getConfigOverrides();
        config.put("quarkus.http.ssl.certificate.key-store-file", TestCertificates.KEY_STORE.toString());
        config.put("quarkus.http.ssl.certificate.key-store-password", TestCertificates.PASSWORD);
        config.put("quarkus.http.insecure-requests", "disabled");
        config.put("quarkus.http.test-ssl-port", "0");
        config.put("quarkus.http.test-port", Integer.toString(HTTP_PORT));
        config.put("quarkus.log.file.enabled", "true");
        config.put("quarkus.log.file.path", LOG.toString());
        config.put("quarkus.log.category.\"io.poolgate\".level", "DEBUG");
        config.put("quarkus.log.category.\"io.poolgate\".min-level", "DEBUG");
        config.put("quarkus.log.category.\"io.vertx\".level", "DEBUG");
        config.put("quarkus.log.min-level", "DEBUG");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(HardenedBackends.class));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
