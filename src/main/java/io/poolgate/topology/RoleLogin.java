package io.poolgate.topology;

/**
 * A database role's own login, for requests whose credentials map to the role: their connections
 * log in as the role, so no statement they send can reach another role's rights (PgBouncer keeps a
 * pool per user and database for the same reason).
 *
 * @param role           the role, which is its login's user name
 * @param password       its password on every node (never shown)
 * @param maxConnections the most connections the role holds open on each node of a pool
 */
public record RoleLogin(String role, String password, int maxConnections) {

    @Override
    public String toString() {
        return "role " + role;
    }
}
