package io.poolgate.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.pool.FakeConnector;
import io.poolgate.pool.FakeConnector.Conn;
import io.poolgate.pool.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The health probe's own connection: one at a time, and never lost track of. */
class NodeProbeTest {

    static final Node NODE = new Node("primary", "fake://db-1/app", Node.Role.PRIMARY, 1);

    final ManualClock clock = new ManualClock();
    final FakeConnector connector = new FakeConnector();
    final Member<Conn> member = new Member<>("main", 0, NODE,
            new Breaker.Settings(3, 2, Duration.ofSeconds(5), Duration.ofSeconds(60)), clock);
    final NodeProbe<Conn> probe = new NodeProbe<>(connector, clock, clock, Duration.ofSeconds(1),
            Duration.ofSeconds(1), member);

    @Test
    void probesReuseTheirConnection() {
        probe.probe();
        connector.connectNext();
        connector.validateNext();
        probe.probe();
        connector.validateNext();
        assertEquals(0, connector.pendingConnects(), "the second probe runs on the first one's connection");
        assertEquals(1, connector.openConnections().size());
    }

    /**
     * A frozen server (SIGSTOP) accepts connects and answers none: the probes time out one after
     * the other, each with a connect pending. When the server resumes, those connects all complete;
     * the ones whose probe gave up are closed, and their closing reports them lost, possibly after
     * the current probe has adopted its own. That report must not make the probe forget the
     * connection it has (which would then stay open on the server, never used and never closed).
     */
    @Test
    void aLateConnectClosedAfterTheNextProbeOpenedDoesNotOrphanTheProbesConnection() {
        probe.probe(); // connect A pending on the frozen server
        clock.advance(Duration.ofSeconds(1)); // A's probe times out
        probe.probe(); // connect B pending
        Conn late = connector.connectNext(); // the server resumes: A completes, too late; the probe closes it
        Conn current = connector.connectNext(); // B completes in time: the probe's connection
        connector.validateNext();
        late.drop(); // A's close reports it lost, after B was adopted

        probe.probe();
        assertEquals(0, connector.pendingConnects(), "the probe still has its connection");
        connector.validateNext();
        assertEquals(List.of(current), connector.openConnections(), "only the probe's own connection is open");

        probe.close();
        assertTrue(connector.openConnections().isEmpty(), "closing the probe closes its connection");
    }

    @Test
    void aLostConnectionIsReplacedByTheNextProbe() {
        probe.probe();
        Conn first = connector.connectNext();
        connector.validateNext();
        first.drop();
        probe.probe();
        assertEquals(1, connector.pendingConnects(), "a lost connection is not probed again");
    }

    /**
     * Shutdown while a probe's connect is in flight (a SIGTERM under load): closing the probe waits
     * for that connect and closes what it opens, so no close runs after the gateway has let Vert.x
     * stop its event loops (drill 6 of bench/faults.sh once logged Netty's "event executor
     * terminated" from such a late close).
     */
    @Test
    void closingWaitsForAConnectInFlightAndClosesWhatItOpens() {
        probe.probe(); // connect pending
        var closing = probe.close().toCompletableFuture();
        assertFalse(closing.isDone(), "the connect in flight is not forgotten");
        Conn late = connector.connectNext();
        assertTrue(closing.isDone(), "done once the late connection is closed");
        assertTrue(connector.openConnections().isEmpty(), "the late connection was closed: " + late);
    }

    @Test
    void closingWithNothingInFlightIsImmediate() {
        probe.probe();
        connector.connectNext();
        connector.validateNext();
        assertTrue(probe.close().toCompletableFuture().isDone());
        assertTrue(connector.openConnections().isEmpty());
    }
}
