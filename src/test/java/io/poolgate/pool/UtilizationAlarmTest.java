package io.poolgate.pool;

import static io.poolgate.pool.UtilizationAlarm.CRITICAL;
import static io.poolgate.pool.UtilizationAlarm.HIGH;
import static io.poolgate.pool.UtilizationAlarm.NORMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UtilizationAlarmTest {

    @Test
    void entersHighAtEightyPercent() {
        assertEquals(NORMAL, NORMAL.next(79, 100));
        assertEquals(HIGH, NORMAL.next(80, 100));
    }

    @Test
    void entersCriticalAtNinetyFivePercent() {
        assertEquals(HIGH, HIGH.next(94, 100));
        assertEquals(CRITICAL, NORMAL.next(95, 100));
    }

    @Test
    void leavesHighOnlyTenPointsBelow() {
        assertEquals(HIGH, HIGH.next(70, 100));
        assertEquals(NORMAL, HIGH.next(69, 100));
    }

    @Test
    void leavesCriticalOnlyTenPointsBelow() {
        assertEquals(CRITICAL, CRITICAL.next(85, 100));
        assertEquals(HIGH, CRITICAL.next(84, 100));
        assertEquals(NORMAL, CRITICAL.next(10, 100));
    }
}
