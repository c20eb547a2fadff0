package io.poolgate.topology;

import org.jboss.logging.Logger;

/**
 * What the probes last found out about one node. Written by its {@link NodeProbe}, read by
 * readiness, metrics and the status API. Unknown (not healthy) until the first probe answers.
 */
public final class NodeHealth {

    private static final Logger LOG = Logger.getLogger(NodeHealth.class);

    private final String pool;
    private final Node node;
    private volatile boolean healthy;
    private volatile boolean probed;
    private volatile long latencyNanos;
    private volatile String lastError = "";

    public NodeHealth(String pool, Node node) {
        this.pool = pool;
        this.node = node;
    }

    public Node node() {
        return node;
    }

    public boolean healthy() {
        return healthy;
    }

    /** Whether any probe has finished yet. */
    public boolean probed() {
        return probed;
    }

    public long latencyNanos() {
        return latencyNanos;
    }

    /** Why the last probe failed; empty after a success. */
    public String lastError() {
        return lastError;
    }

    void succeeded(long latencyNanos) {
        this.latencyNanos = latencyNanos;
        this.lastError = "";
        if (!healthy) {
            LOG.infof("pool '%s' node '%s' is up (probe answered in %.1fms)", pool, node.name(), latencyNanos / 1e6);
        }
        healthy = true;
        probed = true;
    }

    void failed(String error) {
        this.lastError = error;
        if (healthy || !probed) {
            LOG.warnf("pool '%s' node '%s' (%s) is down: %s", pool, node.name(), node.safeUrl(), error);
        }
        healthy = false;
        probed = true;
    }
}
