package io.poolgate.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL reading to tell which poolgate metric families an expression uses. */
final class PromQl {

    /** Double-, single- and back-quoted string literals: label values, not metric names. */
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");

    /** A whole identifier that starts with poolgate_ (not the tail of some_other_poolgate_x). */
    private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9_:])poolgate_[A-Za-z0-9_:]+");

    private static final Pattern HISTOGRAM_SERIES = Pattern.compile("(.+)_(bucket|count|sum|max)");

    private PromQl() {
    }

    /**
     * The poolgate metric families {@code expr} reads: identifiers starting with {@code poolgate_}
     * outside string literals, a histogram's {@code _bucket / _count / _sum / _max} series under
     * the histogram's name.
     */
    static Set<String> metricNames(String expr) {
        Matcher name = NAME.matcher(STRING.matcher(expr).replaceAll("\"\""));
        Set<String> families = new TreeSet<>();
        while (name.find()) {
            families.add(family(name.group()));
        }
        return families;
    }

    private static String family(String name) {
        Matcher series = HISTOGRAM_SERIES.matcher(name);
        if (series.matches() && MetricFamilies.HISTOGRAMS.contains(series.group(1))) {
            return series.group(1);
        }
        return name;
    }
}
