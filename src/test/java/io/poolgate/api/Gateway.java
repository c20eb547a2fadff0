package io.poolgate.api;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Small helpers for driving the gateway over HTTP in tests. */
public final class Gateway {

    private Gateway() {
    }

    public static ValidatableResponse query(String pool, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/pools/{pool}/query", pool).then();
    }

    static ValidatableResponse sql(String sql) {
        return query("main", "{\"sql\": \"" + sql.replace("\"", "\\\"") + "\"}");
    }

    public static ValidatableResponse command(String pool, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/pools/{pool}/command", pool).then();
    }

    /**
     * Connections lent to requests: in use, less those lent to the Redis multiplexer (which go back
     * on their own once idle). Read again a few times when not 0: the two figures are read one after
     * the other and a shared connection may go back in between; a leak stays.
     */
    public static int inUse(String pool) {
        int lent = 0;
        for (int attempt = 0; attempt < 5; attempt++) {
            io.restassured.path.json.JsonPath status = given().get("/api/v1/pools/{pool}", pool).then().statusCode(200)
                    .extract().jsonPath();
            Integer shared = status.get("multiplexing.connections");
            lent = status.getInt("sizes.inUse") - (shared == null ? 0 : shared);
            if (lent == 0) {
                return 0;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return lent;
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code within} has passed. */
    public static boolean eventually(Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
