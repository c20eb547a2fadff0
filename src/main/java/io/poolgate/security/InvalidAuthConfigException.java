package io.poolgate.security;

import java.util.List;

/** Start-up stops: {@code poolgate.auth.*} breaks these rules (each names the key and the rule). */
final class InvalidAuthConfigException extends RuntimeException {

    InvalidAuthConfigException(List<String> errors) {
        super("invalid poolgate configuration:\n  " + String.join("\n  ", errors), null, false, false);
    }
}
