package io.poolgate.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.data.Interval;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON statement parameters to the Java values the Vert.x PostgreSQL client binds.
 *
 * <p>The client checks each value against the type the server inferred for its {@code $n} and
 * refuses a mismatch before anything is sent (the statement stays prepared). So a first attempt
 * binds the natural mapping (string, number, boolean, null, JSON object or array) and, when the
 * client refuses one, {@link #coerce} converts that parameter to the type named in the refusal and
 * the statement runs again: ISO-8601 strings become dates and timestamps, base64 becomes bytea,
 * JSON arrays become PostgreSQL arrays, numbers become text, and so on. Anything else can be cast
 * in SQL: {@code $1::text::inet}. Numbers convert exactly or not at all ({@link JsonNumber}): a
 * value that does not fit the parameter's type is refused, never wrapped, truncated or made infinite.
 */
final class PgParameters {

    private static final Pattern REFUSAL = Pattern.compile(
            "^Parameter at position\\[(\\d+)] with class = \\[.*] can not be coerced to the expected class = \\[([^\\]]+)]",
            Pattern.DOTALL);
    private static final Set<String> TRUE = Set.of("true", "t", "yes", "y", "on", "1");
    private static final Set<String> FALSE = Set.of("false", "f", "no", "n", "off", "0");

    private PgParameters() {
    }

    /** The natural mapping of JSON values; may be refused by the client and then {@link #coerce}d. */
    static Object[] values(List<JsonNode> params) {
        Object[] values = new Object[params.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = natural(params.get(i));
        }
        return values;
    }

    static Object natural(JsonNode node) {
        return switch (node.getNodeType()) {
            case NULL, MISSING -> null;
            case BOOLEAN -> node.booleanValue();
            case STRING -> node.textValue();
            case NUMBER -> new JsonNumber(node.decimalValue());
            case OBJECT -> new JsonObject(node.toString());
            case ARRAY -> new JsonArray(node.toString());
            default -> node.toString();
        };
    }

    /** Where the client refused a value: its index and the class it wanted; null for another failure. */
    record Refusal(int index, String expectedClass) {
    }

    static Refusal refusal(Throwable error) {
        String message = error.getMessage();
        if (message == null) {
            return null;
        }
        Matcher m = REFUSAL.matcher(message);
        return m.find() ? new Refusal(Integer.parseInt(m.group(1)), m.group(2)) : null;
    }

    /**
     * Converts parameter {@code index} (0-based), refused by the client as {@code bound}, to the class
     * the client expects, or explains why not.
     */
    static Object coerce(JsonNode node, Object bound, int index, String expectedClass) {
        String narrowing = JsonNumber.refusedIn(bound);
        if (narrowing != null) {
            throw mismatch(node, index, narrowing); // a number that does not fit the parameter's type
        }
        try {
            if (expectedClass.startsWith("[L") && expectedClass.endsWith(";")) {
                return array(node, index, expectedClass.substring(2, expectedClass.length() - 1));
            }
            return scalar(node, expectedClass);
        } catch (DateTimeParseException | IllegalArgumentException | ArithmeticException e) {
            throw mismatch(node, index, expectedClass);
        }
    }

    private static Object array(JsonNode node, int index, String elementClass) {
        if (!node.isArray()) {
            throw mismatch(node, index, "[L" + elementClass + ";");
        }
        // typed arrays made without reflection, so native images need no registration
        Object[] array = newArray(elementClass, node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            Object value = element.isNull() ? null : scalar(element, elementClass);
            if (value != null && !array.getClass().getComponentType().isInstance(value)) {
                throw mismatch(node, index, "[L" + elementClass + ";");
            }
            array[i] = value;
        }
        return array;
    }

    private static Object[] newArray(String elementClass, int size) {
        return switch (elementClass) {
            case "java.lang.Number" -> new Number[size];
            case "java.lang.String" -> new String[size];
            case "java.lang.Boolean" -> new Boolean[size];
            case "java.time.LocalDate" -> new LocalDate[size];
            case "java.time.LocalTime" -> new LocalTime[size];
            case "java.time.OffsetTime" -> new OffsetTime[size];
            case "java.time.LocalDateTime" -> new LocalDateTime[size];
            case "java.time.OffsetDateTime" -> new OffsetDateTime[size];
            case "java.util.UUID" -> new UUID[size];
            case "io.vertx.core.buffer.Buffer" -> new Buffer[size];
            case "io.vertx.pgclient.data.Interval" -> new Interval[size];
            default -> new Object[size];
        };
    }

    private static Object scalar(JsonNode node, String expectedClass) {
        String text = node.isTextual() ? node.textValue() : node.toString();
        return switch (expectedClass) {
            case "java.lang.Number", "java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.lang.Float",
                    "java.lang.Double", "io.vertx.sqlclient.data.Numeric" -> number(node, text);
            case "java.lang.String" -> text;
            case "java.lang.Boolean" -> bool(node, text);
            case "java.time.LocalDate" -> LocalDate.parse(text);
            case "java.time.LocalTime" -> LocalTime.parse(text);
            case "java.time.OffsetTime" -> OffsetTime.parse(text);
            case "java.time.LocalDateTime" -> LocalDateTime.parse(text.replace(' ', 'T'));
            case "java.time.OffsetDateTime" -> offsetDateTime(text.replace(' ', 'T'));
            case "java.util.UUID" -> UUID.fromString(text);
            case "io.vertx.core.buffer.Buffer" -> bytes(text);
            case "io.vertx.pgclient.data.Interval" -> interval(text);
            case "io.vertx.core.json.JsonObject", "java.lang.Object" -> natural(node);
            default -> throw new IllegalArgumentException("unsupported " + expectedClass);
        };
    }

    /**
     * A JSON number, or a numeric string, converted exactly or refused ({@link JsonNumber}). The
     * driver refuses every numeric parameter as {@code java.lang.Number}, so a "NaN" string, which only
     * float and numeric parameters could take, is refused too: pass it as {@code $1::text::float8}.
     */
    private static Number number(JsonNode node, String text) {
        if (node.isNumber()) {
            return new JsonNumber(node.decimalValue());
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("not a number");
        }
        return new JsonNumber(new BigDecimal(text.trim()));
    }

    private static Boolean bool(JsonNode node, String text) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        String lower = text.trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower)) {
            return true;
        }
        if (FALSE.contains(lower)) {
            return false;
        }
        throw new IllegalArgumentException("not a boolean");
    }

    /** ISO-8601 with an offset or Z; without one the time is taken as UTC. */
    private static OffsetDateTime offsetDateTime(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
        }
    }

    /** Base64, or PostgreSQL's hex form {@code \x0102}. */
    private static Buffer bytes(String text) {
        if (text.startsWith("\\x")) {
            return Buffer.buffer(HexFormat.of().parseHex(text.substring(2)));
        }
        return Buffer.buffer(Base64.getDecoder().decode(text));
    }

    /** ISO-8601 duration such as {@code P1Y2M3DT4H5M6.5S}. */
    private static Interval interval(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        int t = upper.indexOf('T');
        Period period = t == 1 ? Period.ZERO : Period.parse(t < 0 ? upper : upper.substring(0, t));
        Duration time = t < 0 ? Duration.ZERO : Duration.parse("PT" + upper.substring(t + 1));
        long micros = time.toNanos() / 1000;
        return new Interval(period.getYears(), period.getMonths(), period.getDays(), (int) (micros / 3_600_000_000L),
                (int) (micros / 60_000_000L % 60), (int) (micros / 1_000_000 % 60), (int) (micros % 1_000_000));
    }

    private static ParameterException mismatch(JsonNode node, int index, String expectedClass) {
        String shown = node.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        return new ParameterException("parameter $" + (index + 1) + ": expected " + describe(expectedClass) + ", got "
                + shown + " (cast in SQL to pass it as text: $" + (index + 1) + "::text::<type>)");
    }

    private static String describe(String expectedClass) {
        if (expectedClass.startsWith("[L")) {
            return "a JSON array, each element " + describe(expectedClass.substring(2, expectedClass.length() - 1));
        }
        return switch (expectedClass) {
            case "java.lang.Short" -> "a whole number from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE + " (int2)";
            case "java.lang.Integer" -> "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                    + " (int4)";
            case "java.lang.Long" -> "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE + " (int8)";
            case "java.lang.Float" -> "a number within the range of float4";
            case "java.lang.Double" -> "a number within the range of float8";
            case "java.lang.Number", "io.vertx.sqlclient.data.Numeric" -> "a number";
            case "java.lang.String" -> "a string";
            case "java.lang.Boolean" -> "a boolean";
            case "java.time.LocalDate" -> "a date (ISO-8601, 2024-01-31)";
            case "java.time.LocalTime" -> "a time (ISO-8601, 13:45:00)";
            case "java.time.OffsetTime" -> "a time with offset (13:45:00+02:00)";
            case "java.time.LocalDateTime" -> "a timestamp (ISO-8601, 2024-01-31T13:45:00)";
            case "java.time.OffsetDateTime" -> "a timestamp with time zone (ISO-8601, 2024-01-31T13:45:00Z)";
            case "java.util.UUID" -> "a UUID";
            case "io.vertx.core.buffer.Buffer" -> "bytes as base64 (or \\x hex)";
            case "io.vertx.pgclient.data.Interval" -> "an ISO-8601 duration (P1DT2H)";
            default -> "a value of a type with no JSON form (" + expectedClass.substring(expectedClass.lastIndexOf('.') + 1)
                    + ")";
        };
    }
}
