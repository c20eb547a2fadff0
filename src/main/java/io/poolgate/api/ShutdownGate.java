package io.poolgate.api;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * From the moment the gateway is told to stop (SIGTERM), new requests get a 503 with
 * {@code Retry-After} and {@code Connection: close} while the ones in flight finish: under steady
 * traffic Quarkus's graceful shutdown would otherwise keep serving new requests on open
 * keep-alive connections and never see a moment with none in flight, until its timeout ran out.
 * Probes ({@code /q/...}) still answer, so readiness can say it is going away.
 */
@Singleton
final class ShutdownGate {

    private static final Logger LOG = Logger.getLogger(ShutdownGate.class);
    /** Before the body limit (100): nothing else needs doing for a request that is turned away. */
    private static final int PRIORITY = 200;

    private final Refusals refusals;
    private volatile boolean stopping;

    ShutdownGate(Refusals refusals) {
        this.refusals = refusals;
    }

    /**
     * The JVM runs shutdown hooks together, so this one closes the gate as Quarkus's own hook begins
     * its graceful shutdown, not after it (a ShutdownEvent observer would run only once the requests
     * have drained). Registered at start-up, not in a static initialiser (native image).
     */
    void start(@Observes StartupEvent event) {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "poolgate-shutdown-gate"));
    }

    void close() {
        if (!stopping) {
            stopping = true;
            LOG.info("shutting down: new requests get 503 while those in flight finish");
        }
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext rc) {
        if (!stopping || rc.request().path().startsWith("/q/")) {
            rc.next();
            return;
        }
        refusals.refuse(rc, new Problem("shutting-down", "Shutting down", 503,
                "the gateway is shutting down: " + rc.request().method() + " " + rc.request().path()
                        + " was not started; retry, another replica will take it"), Map.of("Retry-After", "1"));
    }
}
