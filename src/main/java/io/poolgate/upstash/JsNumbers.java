package io.poolgate.upstash;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A number's text as JavaScript writes it ({@code String(n)}, ECMAScript Number::toString): the
 * shortest decimal that reads back as the same double, in plain notation from 1e-6 up to 1e21 and
 * in exponent notation ({@code 1e+21}, {@code 1.5e-7}) outside; {@code -0} is {@code 0}. The
 * Upstash client sends numbers as JSON numbers and Upstash passes Redis the text JavaScript would
 * have made of them, never Java's {@code 1.0E21}.
 */
final class JsNumbers {

    /** A double has at most 17 significant digits. */
    private static final int MAX_DIGITS = 17;

    private JsNumbers() {
    }

    /** The text of the double nearest to {@code value}; fails for NaN and the infinities. */
    static String toString(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
        if (value == 0) {
            return "0";
        }
        String sign = value < 0 ? "-" : "";
        BigDecimal shortest = shortest(Math.abs(value));
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // value = 0.digits x 10^n
        return sign + layout(digits, k, n);
    }

    /**
     * The fewest significant digits that read back as {@code value}; of two such decimals with
     * that many digits, the nearer one (the one with the even last digit on a tie).
     */
    private static BigDecimal shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int digits = 1; digits <= MAX_DIGITS; digits++) {
            BigDecimal down = exact.round(new MathContext(digits, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(digits, RoundingMode.CEILING));
            boolean downFits = down.doubleValue() == value;
            boolean upFits = up.doubleValue() == value;
            if (downFits && upFits && down.compareTo(up) != 0) {
                int nearer = exact.subtract(down).compareTo(up.subtract(exact));
                if (nearer == 0) {
                    return down.unscaledValue().testBit(0) ? up.stripTrailingZeros() : down.stripTrailingZeros();
                }
                return (nearer < 0 ? down : up).stripTrailingZeros();
            }
            if (downFits) {
                return down.stripTrailingZeros();
            }
            if (upFits) {
                return up.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(MAX_DIGITS, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** ECMAScript's layout of {@code digits} ({@code k} of them) with the decimal point after {@code n} of them. */
    private static String layout(String digits, int k, int n) {
        if (k <= n && n <= 21) {
            return digits + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return digits.substring(0, n) + "." + digits.substring(n);
        }
        if (-6 < n && n <= 0) {
            return "0." + "0".repeat(-n) + digits;
        }
        int exponent = n - 1;
        String mantissa = k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
    }
}
