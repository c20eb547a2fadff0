package io.poolgate.config;

import java.util.List;

/** Start-up stops: the configuration breaks these rules (each names key, rule and value). */
public final class InvalidConfigException extends RuntimeException {

    private final List<String> errors;

    InvalidConfigException(List<String> errors) {
        super("invalid poolgate configuration:\n  " + String.join("\n  ", errors), null, false, false);
        this.errors = errors;
    }

    public List<String> errors() {
        return errors;
    }
}
