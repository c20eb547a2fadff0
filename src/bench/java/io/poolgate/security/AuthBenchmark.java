package io.poolgate.security;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU the gate adds to one request, without the network: finding an API key among 10
 * configured ones (SHA-256 and a constant-time comparison with each), verifying an HS256 JWT with
 * smallrye-jwt, and classifying the path and checking the grant.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AuthBenchmark {

    static final String SECRET = "bench-jwt-secret-of-at-least-32-bytes!!";

    ApiKeys keys;
    Tokens tokens;
    String key;
    String token;
    Grant grant;

    @Setup
    public void setUp() throws Exception {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            properties.put("poolgate.auth.keys.k" + i + ".hash", HexFormat.of().formatHex(ApiKeys.sha256("pgk-bench-" + i)));
            properties.put("poolgate.auth.keys.k" + i + ".scopes", "write");
        }
        properties.put("poolgate.auth.jwt.secret", SECRET);
        AuthConfig config = new SmallRyeConfigBuilder().withMapping(AuthConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValues(properties).build().getConfigMapping(AuthConfig.class);
        keys = new ApiKeys(config);
        tokens = new Tokens(config);
        key = "pgk-bench-7";
        token = hs256("{\"sub\":\"bench\",\"scope\":\"write\",\"exp\":" + (System.currentTimeMillis() / 1000 + 3600) + "}");
        grant = keys.find(key);
        if (grant == null || tokens.verifyForBenchmark(token) == null) {
            throw new IllegalStateException("the benchmark's credentials are not accepted");
        }
    }

    private static String hs256(String claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String body = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return body + "." + b64.encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Benchmark
    public Grant apiKeyAmongTen() {
        return keys.find(key);
    }

    @Benchmark
    public Object jwtHs256() {
        return tokens.verifyForBenchmark(token);
    }

    @Benchmark
    public Routes.Route routeAndGrantCheck() {
        Routes.Route route = Routes.classify("POST", "/api/v1/pools/main/query", header -> null);
        Gate.check(route, grant);
        return route;
    }
}
