package io.poolgate.topology;

/** Where an acquisition may go: writes to primaries; reads to replicas, or to a primary when no replica can. */
public enum Route {
    WRITE, READ
}
