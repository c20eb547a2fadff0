package io.poolgate.upstash;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The Upstash format's answers as {@code /q/openapi} describes them; its error responses are shared
 * components of {@code META-INF/openapi.yaml}. Read at build time, never instantiated.
 */
final class UpstashSchemas {

    static final String BAD_REQUEST = "UpstashBadRequest";
    static final String UNAUTHORIZED = "UpstashUnauthorized";
    static final String NOT_FOUND = "UpstashNotFound";
    static final String PAYLOAD_TOO_LARGE = "UpstashPayloadTooLarge";
    static final String UNAVAILABLE = "UpstashUnavailable";

    private UpstashSchemas() {
    }

    @Schema(name = "UpstashResult", description = "A command's reply; the key is present even for nil")
    record Result(@Schema(description = "A string (base64 with Upstash-Encoding), integer, array, or null for nil",
            nullable = true, required = true) Object result) {
    }

    @Schema(name = "UpstashEntry", description = "One command's reply in a pipeline or transaction: result, or error")
    record Entry(@Schema(nullable = true) Object result,
            @Schema(description = "Redis's error, exact", example = "WRONGTYPE Operation against a key holding the "
                    + "wrong kind of value") String error) {
    }
}
