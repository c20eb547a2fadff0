package io.poolgate.security;

import java.util.Locale;

/**
 * What a key or token may do. {@code write} includes everything {@code read} allows; {@code admin}
 * is the operator's and implies neither; {@code metrics} only reads {@code /q/metrics}.
 */
public enum Scope {
    /** {@code /query}, {@code /batch}, read-only session leases and Redis commands flagged readonly; PostgreSQL refuses writes. */
    READ,
    /** Everything a client may do within its pools. */
    WRITE,
    /** The operator API and the status page. */
    ADMIN,
    /** Scraping {@code /q/metrics} when {@code poolgate.auth.metrics-key} closes it. */
    METRICS;

    /** The name as written in configuration and shown in errors. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
