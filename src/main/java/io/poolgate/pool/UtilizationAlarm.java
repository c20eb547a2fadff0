package io.poolgate.pool;

/**
 * Utilization levels with hysteresis, so a pool hovering at a threshold logs one line, not one
 * per request: a level is entered at its threshold and left only 10 points below it.
 */
enum UtilizationAlarm {
    NORMAL,
    HIGH,
    CRITICAL;

    static final int HIGH_PERCENT = 80;
    static final int CRITICAL_PERCENT = 95;
    static final int HYSTERESIS_PERCENT = 10;

    /** The level after observing {@code inUse} of {@code max} connections lent, given the current level. */
    UtilizationAlarm next(int inUse, int max) {
        long percent100 = 100L * inUse; // compare inUse/max against p as inUse*100 >= p*max
        if (percent100 >= (long) CRITICAL_PERCENT * max) {
            return CRITICAL;
        }
        if (this == CRITICAL && percent100 >= (long) (CRITICAL_PERCENT - HYSTERESIS_PERCENT) * max) {
            return CRITICAL;
        }
        if (percent100 >= (long) HIGH_PERCENT * max) {
            return HIGH;
        }
        if (this != NORMAL && percent100 >= (long) (HIGH_PERCENT - HYSTERESIS_PERCENT) * max) {
            return HIGH;
        }
        return NORMAL;
    }
}
