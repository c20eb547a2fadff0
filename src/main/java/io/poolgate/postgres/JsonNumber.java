package io.poolgate.postgres;

import java.math.BigDecimal;
import java.util.function.Supplier;

/**
 * A JSON number bound as a statement parameter, converted to the parameter's type exactly or not
 * at all.
 *
 * <p>The driver narrows a {@link Number} to the type PostgreSQL inferred with {@code intValue()},
 * {@code doubleValue()} and so on. A {@code Long} or {@code BigDecimal} would convert in silence,
 * wrapping (3000000000 as int4 is -1294967296), truncating (1.5 as int4 is 1) or overflowing (1e400
 * as float8 is Infinity). These conversions throw instead, so the driver refuses the parameter.
 * Its refusal names only {@code java.lang.Number}, so the number remembers the class it could not
 * become, and {@link PgParameters#coerce} names the values that fit.
 */
final class JsonNumber extends Number {

    private static final long serialVersionUID = 1L;

    private final BigDecimal value;
    /** The class a conversion was refused for, e.g. {@code java.lang.Integer}; null while none was. */
    private String refused;

    JsonNumber(BigDecimal value) {
        this.value = value;
    }

    /** The class a number bound as {@code value} (alone or in an array) could not become, or null. */
    static String refusedIn(Object value) {
        if (value instanceof JsonNumber number) {
            return number.refused;
        }
        if (value instanceof Object[] array) {
            for (Object element : array) {
                String refused = refusedIn(element);
                if (refused != null) {
                    return "[L" + refused + ";";
                }
            }
        }
        return null;
    }

    @Override
    public short shortValue() {
        return exact(() -> value.shortValueExact(), "java.lang.Short");
    }

    @Override
    public int intValue() {
        return exact(() -> value.intValueExact(), "java.lang.Integer");
    }

    @Override
    public long longValue() {
        return exact(() -> value.longValueExact(), "java.lang.Long");
    }

    @Override
    public float floatValue() {
        return exact(() -> {
            float f = value.floatValue();
            if (Float.isInfinite(f) || (f == 0 && value.signum() != 0)) {
                throw new ArithmeticException(value + " is out of range for float4");
            }
            return f;
        }, "java.lang.Float");
    }

    @Override
    public double doubleValue() {
        return exact(() -> {
            double d = value.doubleValue();
            if (Double.isInfinite(d) || (d == 0 && value.signum() != 0)) {
                throw new ArithmeticException(value + " is out of range for float8");
            }
            return d;
        }, "java.lang.Double");
    }

    private <T> T exact(Supplier<T> conversion, String target) {
        try {
            return conversion.get();
        } catch (ArithmeticException e) {
            refused = target;
            throw e;
        }
    }

    /** The decimal text: what JSON, {@link BigDecimal} and PostgreSQL's numeric input read back as this value. */
    @Override
    public String toString() {
        return value.toString();
    }
}
