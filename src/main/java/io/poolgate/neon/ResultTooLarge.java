package io.poolgate.neon;

/** The answer went past poolgate.limits: nothing of it is returned (507, as Neon answers its own limit). */
final class ResultTooLarge extends RuntimeException {

    ResultTooLarge(String message) {
        super(message, null, false, false);
    }
}
