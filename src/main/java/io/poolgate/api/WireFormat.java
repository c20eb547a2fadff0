package io.poolgate.api;

import java.util.Map;

/**
 * A foreign wire format the gateway speaks under some paths (the Upstash REST API, Neon's
 * SQL-over-HTTP), with its own error shape. Refusals made before a resource runs (a body over the
 * size limit, no such endpoint, a method not allowed; later a missing key or a rate limit) are
 * answered in that shape, so the format's official client can read them.
 */
public interface WireFormat {

    /** An error answer: its status, media type, body and extra headers. */
    record Refusal(int status, String mediaType, byte[] body, Map<String, String> headers) {
    }

    /** Whether requests to {@code path} speak this format. */
    boolean serves(String path);

    /** The answer for a refusal with {@code status}, saying {@code message}. */
    Refusal refusal(int status, String message);
}
