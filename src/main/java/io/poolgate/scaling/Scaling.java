package io.poolgate.scaling;

import java.time.Duration;
import java.util.List;

/**
 * The scaling decision, a pure function (Netflix concurrency-limits' AIMDLimit in spirit): from the
 * current target, a window of samples, the policies and the bounds, the new target and why. No
 * clock, no pool, no side effects: the {@link Autoscaler} samples, calls this and applies it.
 *
 * <ol>
 * <li>Within the cooldown of the last action nothing changes.</li>
 * <li>Every policy whose metric has stayed above its up threshold for its sustain proposes
 * {@code target + increment}; the largest proposal wins, clamped to {@code max} and the server's
 * ceiling.</li>
 * <li>Otherwise, if every policy's metric has stayed below its down threshold for its sustain, the
 * target shrinks by the smallest of their decrements, not below {@code min}.</li>
 * </ol>
 */
public final class Scaling {

    /**
     * @param min     never below
     * @param max     never above
     * @param ceiling never grow above (the server's headroom); {@code Integer.MAX_VALUE} when unknown
     */
    public record Bounds(int min, int max, int ceiling) {
    }

    private Scaling() {
    }

    /**
     * @param target       the current target size
     * @param window       samples, oldest first; the last one is now
     * @param sinceAction  how long ago the last scaling action (or manual resize) was
     */
    public static Decision decide(int target, List<Sample> window, List<Policy> policies, Bounds bounds,
            Duration sinceAction, Duration cooldown) {
        if (window.isEmpty()) {
            return Decision.none(target, "no samples yet");
        }
        if (sinceAction.compareTo(cooldown) < 0) {
            return Decision.none(target, "cooldown (" + cooldown.toSeconds() + "s) after the last action");
        }
        Policy up = null;
        for (Policy policy : policies) {
            if (sustained(window, policy.sustain(), s -> policy.metric().of(s) > policy.upThreshold())
                    && (up == null || policy.upIncrement() > up.upIncrement())) {
                up = policy;
            }
        }
        if (up != null) {
            int wanted = target + up.upIncrement();
            int limit = Math.min(bounds.max(), bounds.ceiling());
            int to = Math.max(target, Math.min(wanted, limit));
            boolean atCeiling = bounds.ceiling() < bounds.max() && wanted > bounds.ceiling();
            String reason = describe(up, window, true) + (to < wanted ? atCeiling
                    ? ", held at the server's ceiling of " + bounds.ceiling() : ", held at max " + bounds.max() : "");
            return new Decision(target, to, up.metric(), reason, atCeiling);
        }
        Policy down = null;
        for (Policy policy : policies) {
            if (!sustained(window, policy.sustain(), s -> policy.metric().of(s) < policy.downThreshold())) {
                return Decision.none(target, "no policy holds");
            }
            if (down == null || policy.downIncrement() < down.downIncrement()) {
                down = policy;
            }
        }
        if (down == null) {
            return Decision.none(target, "no policies");
        }
        int to = Math.min(target, Math.max(bounds.min(), target - down.downIncrement()));
        return new Decision(target, to, down.metric(), describe(down, window, false)
                + (policies.size() > 1 ? " (every policy below its threshold)" : ""), false);
    }

    /** Whether every sample of the last {@code sustain} meets the condition, and the window covers it. */
    static boolean sustained(List<Sample> window, Duration sustain, java.util.function.Predicate<Sample> condition) {
        long now = window.get(window.size() - 1).at();
        long from = now - sustain.toNanos();
        if (window.get(0).at() - from > 0) {
            return false; // not observed for long enough yet
        }
        for (int i = window.size() - 1; i >= 0 && window.get(i).at() - from >= 0; i--) {
            if (!condition.test(window.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code utilization 0.86 > 0.80 for 30s}, with the metric's latest value. */
    private static String describe(Policy policy, List<Sample> window, boolean up) {
        double value = policy.metric().of(window.get(window.size() - 1));
        return policy.metric().id() + " " + policy.metric().format(value) + (up ? " > " : " < ")
                + policy.metric().format(up ? policy.upThreshold() : policy.downThreshold()) + " for "
                + seconds(policy.sustain());
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
