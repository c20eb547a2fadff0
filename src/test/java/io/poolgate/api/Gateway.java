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

    static int inUse(String pool) {
        return given().get("/api/v1/pools/{pool}", pool).then().statusCode(200).extract().path("sizes.inUse");
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
