package io.poolgate.neon;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Who is calling and which pool they ask for, from a Neon request: the pool is the first label of
 * the connection string's host ({@code postgresql://app:KEY@main.poolgate.local/appdb} and
 * {@code postgresql://app:KEY@main/appdb} both name pool {@code main}); the key is
 * {@code Authorization: Bearer KEY} when sent (the driver's {@code authToken}), otherwise the
 * connection string's password. The user name and database name are not used: the pool's nodes say
 * where its connections go. The key itself is checked by the security layer (the gate), not here;
 * a missing key is refused.
 *
 * @param pool the pool's name
 * @param key  the API key
 */
record NeonCredentials(String pool, String key) {

    static final String CONNECTION_STRING = "Neon-Connection-String";

    static NeonCredentials of(String connectionString, String authorization) {
        if (connectionString == null || connectionString.isBlank()) {
            throw NeonException.badRequest("missing header " + CONNECTION_STRING + " (postgresql://user:key@pool/db)");
        }
        String rest = afterScheme(connectionString.trim());
        int end = firstOf(rest, "/?#");
        String authority = end < 0 ? rest : rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authority.substring(0, at);
        String hostPort = authority.substring(at + 1);
        if (hostPort.startsWith("[")) {
            throw NeonException.badRequest(CONNECTION_STRING + " names an IP address as host; the host's first "
                    + "label must name a pool (postgresql://user:key@pool/db)");
        }
        int colon = hostPort.indexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        int dot = host.indexOf('.');
        String pool = decode(dot < 0 ? host : host.substring(0, dot));
        if (pool.isEmpty()) {
            throw NeonException.badRequest(CONNECTION_STRING + " has no host; its first label names the pool "
                    + "(postgresql://user:key@pool/db)");
        }
        String key = bearer(authorization);
        if (key == null) {
            int separator = userInfo.indexOf(':');
            key = separator < 0 ? null : decode(userInfo.substring(separator + 1));
        }
        if (key == null || key.isEmpty()) {
            throw new NeonException(401, "no API key: put it in the password of " + CONNECTION_STRING
                    + " or send Authorization: Bearer <key>");
        }
        return new NeonCredentials(pool, key);
    }

    private static String afterScheme(String connectionString) {
        for (String scheme : new String[] { "postgresql://", "postgres://" }) {
            if (connectionString.regionMatches(true, 0, scheme, 0, scheme.length())) {
                return connectionString.substring(scheme.length());
            }
        }
        throw NeonException.badRequest(CONNECTION_STRING + " must start with postgresql:// or postgres://");
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        String value = authorization.trim();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new NeonException(401, "Authorization must be 'Bearer <key>'");
        }
        return value.substring(7).trim();
    }

    private static int firstOf(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String decode(String part) {
        try {
            return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw NeonException.badRequest(CONNECTION_STRING + " has a malformed %-escape");
        }
    }

    @Override
    public String toString() {
        return "pool '" + pool + "'"; // never the key
    }
}
