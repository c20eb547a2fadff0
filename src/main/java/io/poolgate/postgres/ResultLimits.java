package io.poolgate.postgres;

import io.poolgate.config.PoolgateConfig;

/**
 * Caps on what one request may return, so a huge result is refused instead of filling memory.
 *
 * @param maxRows  rows per request (all statements of a batch together)
 * @param maxBytes bytes of JSON rows per request
 */
public record ResultLimits(long maxRows, long maxBytes) {

    /** The limits {@code poolgate.limits} configures. */
    public static ResultLimits of(PoolgateConfig config) {
        return new ResultLimits(config.limits().maxRows(), config.limits().maxResponseBytes().asLongValue());
    }
}
