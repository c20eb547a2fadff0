package io.poolgate.topology;

import java.net.URI;

/**
 * One backend server of a pool: where it is, what it is for, and its share of the load.
 *
 * @param name   the operator's name for the node, unique within its pool
 * @param url    connection URL, may carry credentials: never log it, log {@link #safeUrl()}
 * @param role   primary (takes writes) or replica (read-only)
 * @param weight relative share for weighted balancing, at least 1
 * @param login  another login than the URL's (a database role's, for keys mapped to it); null: the URL's
 */
public record Node(String name, String url, Role role, int weight, Login login) {

    /**
     * The user and password a connection logs in with instead of the URL's. The password is never
     * shown: not by {@link #toString()}, not in the status API.
     */
    public record Login(String user, String password) {
        @Override
        public String toString() {
            return user;
        }
    }

    public Node(String name, String url, Role role, int weight) {
        this(name, url, role, weight, null);
    }

    /** The same server, logging in as {@code login}. */
    public Node as(Login login) {
        return new Node(name, url, role, weight, login);
    }

    /** Whether a node takes writes. */
    public enum Role {
        PRIMARY, REPLICA
    }

    /** The URL with any password removed, fit for logs and the status API. */
    public String safeUrl() {
        return redact(url);
    }

    /** Removes the password part of a {@code scheme://user:password@host...} URL. */
    public static String redact(String url) {
        try {
            URI uri = URI.create(url);
            String userInfo = uri.getRawUserInfo();
            if (userInfo == null || !userInfo.contains(":")) {
                return url;
            }
            String user = userInfo.substring(0, userInfo.indexOf(':'));
            return url.replace(userInfo + "@", user + ":***@");
        } catch (IllegalArgumentException e) {
            // not a URI we can parse: show only the scheme so no secret can leak
            int scheme = url.indexOf("://");
            return scheme < 0 ? "***" : url.substring(0, scheme + 3) + "***";
        }
    }

    @Override
    public String toString() {
        return name + " (" + safeUrl() + ")";
    }
}
