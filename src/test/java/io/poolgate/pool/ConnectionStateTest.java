package io.poolgate.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionStateTest {

    @Test
    void anIllegalTransitionNamesBothStates() {
        PooledConnection<Object> connection = new PooledConnection<>(7, PoolTest.PRIMARY, 0, Long.MAX_VALUE);
        connection.moveTo(ConnectionState.IDLE);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> connection.moveTo(ConnectionState.RESETTING));

        assertEquals("connection 7 on node 'primary' cannot go from IDLE to RESETTING", e.getMessage());
    }

    @Test
    void closedIsFinal() {
        for (ConnectionState next : ConnectionState.values()) {
            assertFalse(ConnectionState.CLOSED.canMoveTo(next));
        }
    }

    @Test
    void everyStateButClosedCanBeRetired() {
        for (ConnectionState state : ConnectionState.values()) {
            boolean retirable = state != ConnectionState.CLOSED && state != ConnectionState.EXPIRED;
            assertEquals(retirable, state.canMoveTo(ConnectionState.EXPIRED), state.name());
        }
        assertTrue(ConnectionState.EXPIRED.canMoveTo(ConnectionState.CLOSED));
    }
}
