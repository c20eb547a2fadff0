package io.poolgate.security;

import io.poolgate.api.WireFormat;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A {@link WireFormat} as the compatibility endpoints register theirs (Upstash answers
 * {@code {"error": "..."}}), on a path prefix of its own so it stays out of the way of real routes.
 */
@Singleton
final class ErrorShapeFormat implements WireFormat {

    static final String PREFIX = "/test-error-shape/";

    @Override
    public boolean serves(String path) {
        return path.startsWith(PREFIX);
    }

    @Override
    public Refusal refusal(int status, String message) {
        return new Refusal(status, "application/json", ("{\"error\": \"" + message.replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
