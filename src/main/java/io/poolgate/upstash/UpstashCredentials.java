package io.poolgate.upstash;

/**
 * The caller's key from an Upstash request: {@code Authorization: Bearer <token>}, the header the
 * client sends with the token it was given. The key itself is checked by the security layer (the
 * gate), not here; a missing or malformed header is refused with 401, as Upstash does.
 *
 * @param token the API key
 */
record UpstashCredentials(String token) {

    static UpstashCredentials of(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new UpstashException(401, "Unauthorized: missing Authorization: Bearer <token> header");
        }
        String value = authorization.trim();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || value.substring(7).isBlank()) {
            throw new UpstashException(401, "Unauthorized: the Authorization header must be 'Bearer <token>'");
        }
        return new UpstashCredentials(value.substring(7).trim());
    }

    @Override
    public String toString() {
        return "UpstashCredentials[token=***]"; // never the key
    }
}
