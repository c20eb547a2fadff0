package io.poolgate.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.RestAssuredConfig;
import io.restassured.config.SSLConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * TLS on both sides: the gateway serves HTTPS only, with a certificate made at test time; its
 * PostgreSQL pools connect with libpq's sslmode (require, verify-full) to a server that rejects
 * unencrypted logins.
 */
@QuarkusTest
@TestProfile(HardenedProfile.class)
@WithTestResource(EmbeddedServers.class)
class BackendTlsTest {

    static final String SSL_IN_USE = "{\"sql\": \"SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()\"}";

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    /** A request over HTTPS that trusts only the test certificate. */
    RequestSpecification secure(String key) {
        return given().baseUri("https://localhost").port(https.getPort())
                .config(RestAssuredConfig.config().sslConfig(SSLConfig.sslConfig()
                        .trustStore(TestCertificates.KEY_STORE.toString(), TestCertificates.PASSWORD)
                        .trustStoreType("PKCS12")))
                .header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    @Test
    void theGatewayServesHttpsWithTheConfiguredCertificate() {
        secure(Keys.WRITER).body("{\"sql\": \"SELECT 1 AS one\"}").post("/api/v1/pools/main/query").then()
                .statusCode(200).body("rows[0].one", equalTo(1));
        secure(Keys.WRITER).get("/q/health/live").then().statusCode(200);
    }

    @Test
    void plainHttpIsOff() {
        assertThrows(ConnectException.class, () -> new Socket("localhost", HardenedProfile.HTTP_PORT).close());
    }

    @Test
    void sslmodeRequireEncryptsTheBackendConnection() {
        secure(Keys.WRITER).body(SSL_IN_USE).post("/api/v1/pools/secure/query").then().statusCode(200)
                .body("rows[0].ssl", equalTo(true));
    }

    @Test
    void sslmodeVerifyFullChecksTheCertificateAndTheHostName() {
        secure(Keys.WRITER).body(SSL_IN_USE).post("/api/v1/pools/verified/query").then().statusCode(200)
                .body("rows[0].ssl", equalTo(true));
        // the certificate names localhost, not 127.0.0.1: verify-full refuses the server
        secure(Keys.WRITER).body(SSL_IN_USE).post("/api/v1/pools/mismatch/query").then().statusCode(503)
                .body("pool", equalTo("mismatch"));
    }

    @Test
    void aServerThatRequiresTlsRefusesSslmodeDisable() {
        secure(Keys.WRITER).body(SSL_IN_USE).post("/api/v1/pools/plain/query").then().statusCode(503)
                .body("detail", containsString("pool 'plain'"));
    }

    @Test
    void aWrongPasswordIsABackendFailureNamingThePool() {
        secure(Keys.WRITER).body(SSL_IN_USE).post("/api/v1/pools/badpass/query").then().statusCode(503)
                .body("pool", equalTo("badpass"));
        secure(Keys.WRITER).body("[\"PING\"]").post("/api/v1/pools/vault/command").then().statusCode(200)
                .body("result", equalTo("PONG"));
        secure(Keys.WRITER).body("[\"PING\"]").post("/api/v1/pools/vault-bad/command").then().statusCode(503);
    }
}
