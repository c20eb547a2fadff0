package io.poolgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

final class PromQlTest {

    @Test
    void findsEveryMetricOfAnExpression() {
        assertEquals(Set.of("poolgate_pool_operations_total", "poolgate_pool_max_size"), PromQl.metricNames(
                "sum by (pool) (rate(poolgate_pool_operations_total[5m])) / on (pool) poolgate_pool_max_size"));
    }

    @Test
    void readsHistogramSeriesAsTheirHistogram() {
        assertEquals(Set.of("poolgate_pool_acquire_seconds"), PromQl.metricNames(
                "poolgate_pool_acquire_seconds_bucket + poolgate_pool_acquire_seconds_count"
                        + " + poolgate_pool_acquire_seconds_sum + poolgate_pool_acquire_seconds_max"));
    }

    @Test
    void keepsTheSuffixOfAMetricThatIsNoHistogram() {
        assertEquals(Set.of("poolgate_pool_waiters_count"), PromQl.metricNames("poolgate_pool_waiters_count > 0"));
    }

    @Test
    void ignoresNamesInsideStringLiterals() {
        assertEquals(Set.of("poolgate_pool_waiters"),
                PromQl.metricNames("poolgate_pool_waiters{job=\"poolgate_old\", pool=~'poolgate_x|y'}"));
    }

    @Test
    void ignoresIdentifiersThatOnlyContainPoolgate() {
        assertEquals(Set.of(), PromQl.metricNames("legacy_poolgate_pool_waiters > 0"));
    }

    @Test
    void readsTheMetricOfAGrafanaLabelValuesQuery() {
        assertEquals(Set.of("poolgate_pool_connections"),
                PromQl.metricNames("label_values(poolgate_pool_connections, pool)"));
    }
}
