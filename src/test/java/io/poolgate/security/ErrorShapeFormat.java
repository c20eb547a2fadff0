package io.poolgate.security;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/**
 * A {@link RefusalFormat} as the compatibility endpoints register theirs (Upstash answers
 * {@code {"error": "..."}}), on a path prefix of its own so it stays out of the way of real routes.
 */
@Singleton
final class ErrorShapeFormat implements RefusalFormat {

    static final String PREFIX = "/test-error-shape/";

    @Override
    public String pathPrefix() {
        return PREFIX;
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public byte[] body(Refusal refusal) {
        return ("{\"error\": \"" + refusal.detail().replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
