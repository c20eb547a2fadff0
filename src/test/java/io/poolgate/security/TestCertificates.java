package io.poolgate.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} (and no IP address), made at test time with the
 * JDK's keytool: a PKCS12 key store for the gateway's HTTPS, and PEM files for PostgreSQL.
 */
public final class TestCertificates {

    public static final Path DIR = Path.of("target", "test-tls").toAbsolutePath();
    public static final Path KEY_STORE = DIR.resolve("keystore.p12");
    public static final Path CERT_PEM = DIR.resolve("cert.pem");
    public static final Path KEY_PEM = DIR.resolve("key.pem");
    public static final String PASSWORD = "tls-STORE-PASSWORD-SECRET";

    private TestCertificates() {
    }

    /** Makes the files once per build. */
    public static synchronized void create() {
        if (Files.exists(KEY_PEM)) {
            return;
        }
        try {
            Files.createDirectories(DIR);
            Files.deleteIfExists(KEY_STORE);
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "poolgate", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-keystore", KEY_STORE.toString(),
                    "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes());
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(KEY_STORE)) {
                store.load(in, PASSWORD.toCharArray());
            }
            Key key = store.getKey("poolgate", PASSWORD.toCharArray());
            Files.writeString(CERT_PEM, pem("CERTIFICATE", store.getCertificate("poolgate").getEncoded()));
            Path keyFile = DIR.resolve("key.pem.tmp");
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded())); // PKCS#8
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            Files.move(keyFile, KEY_PEM);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | InterruptedException e) {
            throw new IllegalStateException("could not make the test certificate", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
