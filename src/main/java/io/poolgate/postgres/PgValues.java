package io.poolgate.postgres;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.data.Interval;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * PostgreSQL values to JSON: numbers stay numbers (numeric becomes a string to keep its precision,
 * NaN and infinities become strings), json/jsonb are embedded as JSON, timestamps and dates are
 * ISO-8601 strings, intervals ISO-8601 durations, bytea base64, arrays JSON arrays; anything else
 * its PostgreSQL text form.
 */
final class PgValues {

    private PgValues() {
    }

    static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null || value == Tuple.JSON_NULL) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
            }
        } else if (value instanceof Numeric n) {
            g.writeString(n.toString());
        } else if (value instanceof Number n) {
            g.writeNumber(n.toString()); // a json/jsonb scalar number, as the server wrote it
        } else if (value instanceof JsonObject o) {
            g.writeRawValue(o.encode());
        } else if (value instanceof JsonArray a) {
            g.writeRawValue(a.encode());
        } else if (value instanceof OffsetDateTime t) {
            g.writeString(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t));
        } else if (value instanceof LocalDateTime t) {
            g.writeString(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
        } else if (value instanceof LocalDate t) {
            g.writeString(DateTimeFormatter.ISO_LOCAL_DATE.format(t));
        } else if (value instanceof LocalTime t) {
            g.writeString(DateTimeFormatter.ISO_LOCAL_TIME.format(t));
        } else if (value instanceof OffsetTime t) {
            g.writeString(DateTimeFormatter.ISO_OFFSET_TIME.format(t));
        } else if (value instanceof Interval i) {
            g.writeString(isoDuration(i));
        } else if (value instanceof Buffer b) {
            g.writeString(Base64.getEncoder().encodeToString(b.getBytes()));
        } else if (value instanceof Object[] array) {
            g.writeStartArray();
            for (Object element : array) {
                write(g, element);
            }
            g.writeEndArray();
        } else {
            g.writeString(value.toString());
        }
    }

    static String isoDuration(Interval i) {
        StringBuilder s = new StringBuilder("P");
        if (i.getYears() != 0) {
            s.append(i.getYears()).append('Y');
        }
        if (i.getMonths() != 0) {
            s.append(i.getMonths()).append('M');
        }
        if (i.getDays() != 0) {
            s.append(i.getDays()).append('D');
        }
        long micros = ((i.getHours() * 60L + i.getMinutes()) * 60L + i.getSeconds()) * 1_000_000L
                + i.getMicroseconds();
        if (micros != 0 || s.length() == 1) {
            s.append('T').append(java.time.Duration.ofNanos(micros * 1000).toString().substring(2));
        }
        return s.toString();
    }
}
