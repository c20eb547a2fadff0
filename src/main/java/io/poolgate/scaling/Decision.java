package io.poolgate.scaling;

import java.util.Locale;

/**
 * What {@link Scaling#decide} concluded: the target to set and why.
 *
 * @param from          the target before
 * @param to            the target to set (equal to {@code from} when nothing changes)
 * @param policy        the policy that decided, null when none did
 * @param reason        what held, as the log line says it ({@code utilization 0.86 > 0.80 for 30s})
 * @param atCeiling     true when the server's ceiling, not the policy or max, held growth back
 */
public record Decision(int from, int to, Metric policy, String reason, boolean atCeiling) {

    /** Which way the target moves. */
    public enum Direction {
        UP, DOWN, NONE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static Decision none(int target, String reason) {
        return new Decision(target, target, null, reason, false);
    }

    public Direction direction() {
        return to > from ? Direction.UP : to < from ? Direction.DOWN : Direction.NONE;
    }
}
