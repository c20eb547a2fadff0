package io.poolgate.security;

import java.net.URI;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What each request path needs, in one table. Anything not listed is the operator's (admin), so a
 * new endpoint is closed until it is placed here; an odd path (empty segments) is also admin, so a
 * path the router reads differently from this table can only be refused, never opened.
 */
final class Routes {

    /** What a request needs. */
    enum Kind {
        /** Nothing: health probes and the API description. */
        OPEN,
        /** {@code /q/metrics}: open unless a metrics key is configured. */
        METRICS,
        /** Client work on a pool: read or write scope, and the pool. */
        CLIENT,
        /** A session lease by id: read or write scope; the lease's owner is checked by the resource. */
        SESSION,
        /** The operator API, the status page and everything else: admin scope (and the pool, if any). */
        ADMIN
    }

    /** A request's need; {@code pool} is null when the path names none. */
    record Route(Kind kind, String pool) {
    }

    private static final Set<String> CLIENT_ACTIONS = Set.of("query", "batch", "command", "pipeline");
    private static final Set<String> STATUS_PAGE = Set.of("/", "/index.html", "/status.js", "/status.css");

    private Routes() {
    }

    static boolean isOpen(String path) {
        return path != null && (path.equals("/q/health") || path.startsWith("/q/health/") || path.equals("/q/openapi")
                || path.startsWith("/q/openapi.") || path.startsWith("/q/openapi?"));
    }

    static boolean isStatusPage(String path) {
        return STATUS_PAGE.contains(path);
    }

    static boolean isNeon(String path) {
        return "/sql".equals(path) || "/sql/".equals(path);
    }

    /** The route of {@code method path}; {@code header} reads request headers (Neon names its pool in one). */
    static Route classify(String method, String path, UnaryOperator<String> header) {
        if (path == null) {
            return new Route(Kind.ADMIN, null);
        }
        if (isOpen(path)) {
            return new Route(Kind.OPEN, null);
        }
        if (path.equals("/q/metrics") || path.startsWith("/q/metrics/")) {
            return new Route(Kind.METRICS, null);
        }
        if (isNeon(path)) {
            return new Route(Kind.CLIENT, neonPool(header.apply(BearerMechanism.NEON_CONNECTION_STRING)));
        }
        String[] s = segments(path);
        if (s == null) {
            return new Route(Kind.ADMIN, null);
        }
        if (s.length >= 2 && s[0].equals("upstash")) {
            return new Route(Kind.CLIENT, s[1]); // /upstash/{pool}, /pipeline, /multi-exec
        }
        if (s.length >= 3 && s[0].equals("api") && s[1].equals("v1")) {
            if (s[2].equals("sessions") && s.length >= 4) {
                return new Route(Kind.SESSION, null);
            }
            if (s[2].equals("pools") && s.length == 5) {
                String action = s[4];
                if (CLIENT_ACTIONS.contains(action)
                        || action.equals("sessions") && "POST".equalsIgnoreCase(method)) {
                    return new Route(Kind.CLIENT, s[3]);
                }
            }
            if (s[2].equals("pools") && s.length >= 4) {
                return new Route(Kind.ADMIN, s[3]);
            }
        }
        return new Route(Kind.ADMIN, null);
    }

    /** The path's segments, or null for a path with an empty segment or a matrix parameter. */
    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        String[] segments = trimmed.split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty() || segment.indexOf(';') >= 0) {
                return null;
            }
        }
        return segments;
    }

    /** Neon's pool: the first label of the connection string's host; null if there is none. */
    static String neonPool(String connectionString) {
        if (connectionString == null) {
            return null;
        }
        try {
            String host = URI.create(connectionString.trim()).getHost();
            if (host == null || host.isEmpty()) {
                return null;
            }
            int dot = host.indexOf('.');
            return dot < 0 ? host : host.substring(0, dot);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
