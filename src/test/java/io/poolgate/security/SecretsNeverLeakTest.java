package io.poolgate.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.RestAssuredConfig;
import io.restassured.config.SSLConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Recognisable keys, a JWT secret, node passwords (right and wrong ones) and a key-store password
 * are configured; every endpoint is driven, failures included; none of them appears in anything
 * the gateway wrote: responses (status, headers, bodies: API, status page, metrics, OpenAPI) and
 * its log at DEBUG.
 */
@QuarkusTest
@TestProfile(HardenedProfile.class)
@WithTestResource(EmbeddedServers.class)
class SecretsNeverLeakTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    final List<String> written = new ArrayList<>();

    RequestSpecification as(String key) {
        RequestSpecification spec = given().baseUri("https://localhost").port(https.getPort())
                .config(RestAssuredConfig.config().sslConfig(SSLConfig.sslConfig()
                        .trustStore(TestCertificates.KEY_STORE.toString(), TestCertificates.PASSWORD)
                        .trustStoreType("PKCS12")))
                .contentType(ContentType.JSON);
        return key == null ? spec : spec.header("Authorization", "Bearer " + key);
    }

    Response record(Response response) {
        written.add(response.statusLine() + "\n" + response.headers() + "\n" + response.asString());
        return response;
    }

    Response post(String key, String path, String body) {
        return record(as(key).body(body).post(path));
    }

    Response get(String key, String path) {
        return record(as(key).get(path));
    }

    @Test
    void noSecretIsEverWrittenOut() throws IOException {
        String token = Keys.jwt("fn-leak", "write admin", null, Keys.AUDIENCE, 300L);
        String expired = Keys.jwt("fn-leak", "write", null, Keys.AUDIENCE, -300L);
        List<String> secrets = new ArrayList<>(Keys.ALL);
        secrets.addAll(List.of(HardenedBackends.PG_PASSWORD, HardenedBackends.PG_WRONG_PASSWORD,
                HardenedBackends.REDIS_PASSWORD, HardenedBackends.REDIS_WRONG_PASSWORD, TestCertificates.PASSWORD,
                token, expired));
        String sql = "{\"sql\": \"SELECT current_user AS who\"}";

        // the client API, on pools with passwords, right and wrong
        for (String pool : List.of("main", "secure", "verified", "badpass", "plain", "mismatch")) {
            post(Keys.WRITER, "/api/v1/pools/" + pool + "/query", sql);
            post(Keys.WRITER, "/api/v1/pools/" + pool + "/batch", "{\"statements\": [" + sql + "]}");
            post(token, "/api/v1/pools/" + pool + "/query", "{\"sql\": \"SELEKT broken\"}");
        }
        for (String pool : List.of("cache", "vault", "vault-bad")) {
            post(Keys.WRITER, "/api/v1/pools/" + pool + "/command", "[\"SET\", \"leak\", \"v\"]");
            post(Keys.WRITER, "/api/v1/pools/" + pool + "/pipeline", "[[\"GET\", \"leak\"], [\"NOPE\"]]");
            post(Keys.WRITER, "/api/v1/pools/" + pool + "/pipeline?atomic=true", "[[\"GET\", \"leak\"]]");
            post(Keys.READER, "/api/v1/pools/" + pool + "/command", "[\"SET\", \"leak\", \"w\"]");
        }
        // session leases
        for (String pool : List.of("secure", "vault", "badpass")) {
            Response opened = post(Keys.WRITER, "/api/v1/pools/" + pool + "/sessions", "");
            if (opened.statusCode() == 201) {
                String id = opened.path("id");
                get(Keys.WRITER, "/api/v1/sessions/" + id);
                post(Keys.WRITER, "/api/v1/sessions/" + id + "/" + (pool.equals("vault") ? "command" : "query"),
                        pool.equals("vault") ? "[\"PING\"]" : sql);
                get(Keys.OTHER_WRITER, "/api/v1/sessions/" + id);
                record(as(Keys.WRITER).delete("/api/v1/sessions/" + id));
            }
        }
        // the operator API, the status page, the platform endpoints
        get(Keys.ADMIN, "/api/v1/pools");
        for (String pool : List.of("main", "secure", "badpass", "vault", "vault-bad")) {
            get(Keys.ADMIN, "/api/v1/pools/" + pool);
            get(Keys.ADMIN, "/api/v1/pools/" + pool + "/sessions");
        }
        post(Keys.ADMIN, "/api/v1/pools/secure/pause", "");
        post(Keys.ADMIN, "/api/v1/pools/secure/resume", "");
        post(Keys.ADMIN, "/api/v1/pools/secure/scale", "{\"delta\": 0}");
        for (String path : List.of("/", "/status.js", "/status.css", "/q/openapi", "/q/metrics")) {
            get(Keys.ADMIN, path);
        }
        get(Keys.METRICS, "/q/metrics");
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/health/started")) {
            get(null, path);
        }
        // refusals: no key, a bad key, malformed, expired and forged tokens, a key where one is not looked at
        post(null, "/api/v1/pools/main/query", sql);
        post("pgk-GUESS-" + Keys.WRITER, "/api/v1/pools/main/query", sql);
        record(as(null).header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                ("u:" + Keys.READER + "x").getBytes())).get("/"));
        record(as(null).header("Authorization", Keys.WRITER).body(sql).post("/api/v1/pools/main/query"));
        post(expired, "/api/v1/pools/main/query", sql);
        post(token.substring(0, token.length() - 4) + "AAAA", "/api/v1/pools/main/query", sql);
        post(Keys.READER, "/api/v1/pools/secure/query", "{\"sql\": \"CREATE TABLE leak (n int)\"}");
        get(Keys.WRITER, "/api/v1/pools");

        assertTrue(written.size() >= 70, "drove " + written.size() + " requests");
        String log = Files.readString(HardenedProfile.LOG);
        assertTrue(log.contains("pool 'badpass'") && log.contains("28P01"), "the log saw the bad password's failure");
        Function<String, List<String>> found = text -> secrets.stream().filter(text::contains).toList();
        for (String response : written) {
            assertEquals(List.of(), found.apply(response), response);
        }
        assertEquals(List.of(), found.apply(log), "the gateway's log");
    }
}
