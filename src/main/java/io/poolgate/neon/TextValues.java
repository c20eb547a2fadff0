package io.poolgate.neon;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;

/**
 * Typed JSON of PostgreSQL text values, as Neon's proxy makes it when {@code Neon-Raw-Text-Output}
 * is not {@code true}: bool as a JSON boolean, int2 and int4 as numbers, float4 and float8 as
 * numbers (NaN and the infinities stay strings), json and jsonb embedded, arrays of these as JSON
 * arrays; everything else (int8 and numeric too, to keep their precision) is the text itself.
 */
final class TextValues {

    private static final long BOOL = 16;
    private static final long INT2 = 21;
    private static final long INT4 = 23;
    private static final long FLOAT4 = 700;
    private static final long FLOAT8 = 701;
    private static final long JSON = 114;
    private static final long JSONB = 3802;
    private static final long BOX = 603;

    /** Built-in array types by OID: their element type's OID. */
    private static final Map<Long, Long> ARRAYS = Map.ofEntries(
            Map.entry(1000L, BOOL), Map.entry(1001L, 17L), Map.entry(1002L, 18L), Map.entry(1003L, 19L),
            Map.entry(1005L, INT2), Map.entry(1007L, INT4), Map.entry(1016L, 20L), Map.entry(1021L, FLOAT4),
            Map.entry(1022L, FLOAT8), Map.entry(1009L, 25L), Map.entry(1014L, 1042L), Map.entry(1015L, 1043L),
            Map.entry(199L, JSON), Map.entry(3807L, JSONB), Map.entry(1231L, 1700L), Map.entry(2951L, 2950L),
            Map.entry(1182L, 1082L), Map.entry(1183L, 1083L), Map.entry(1270L, 1266L), Map.entry(1115L, 1114L),
            Map.entry(1185L, 1184L), Map.entry(1187L, 1186L), Map.entry(1028L, 26L), Map.entry(1041L, 869L),
            Map.entry(651L, 650L), Map.entry(1040L, 829L), Map.entry(791L, 790L), Map.entry(1561L, 1560L),
            Map.entry(1563L, 1562L), Map.entry(143L, 142L), Map.entry(1017L, 600L), Map.entry(1020L, BOX));

    private TextValues() {
    }

    static void write(JsonGenerator json, long type, String text) throws IOException {
        Long element = ARRAYS.get(type);
        if (element != null) {
            new ArrayText(json, text, element, element == BOX ? ';' : ',').write();
            return;
        }
        scalar(json, type, text);
    }

    private static void scalar(JsonGenerator json, long type, String text) throws IOException {
        if (type == BOOL) {
            json.writeBoolean(text.equals("t"));
        } else if (type == INT2 || type == INT4) {
            json.writeNumber(Integer.parseInt(text));
        } else if (type == FLOAT4 || type == FLOAT8) {
            if (text.equals("NaN") || text.endsWith("Infinity")) {
                json.writeString(text);
            } else {
                json.writeNumber(text); // PostgreSQL's float text (1.5, 1e+21, 1e-05) is a JSON number
            }
        } else if (type == JSON || type == JSONB) {
            json.writeRawValue(text);
        } else {
            json.writeString(text);
        }
    }

    /**
     * An array's text form ({@code {1,2}}, {@code {{"a b",NULL}}}, {@code [0:1]={1,2}}) as nested JSON
     * arrays, each element converted by its type. Bounds decoration is dropped: JSON has no place for it.
     */
    private static final class ArrayText {

        private final JsonGenerator json;
        private final String text;
        private final long element;
        private final char delimiter;
        private int at;

        ArrayText(JsonGenerator json, String text, long element, char delimiter) {
            this.json = json;
            this.text = text;
            this.element = element;
            this.delimiter = delimiter;
        }

        void write() throws IOException {
            if (text.startsWith("[")) {
                at = text.indexOf('=') + 1;
                if (at == 0) {
                    throw new IllegalArgumentException("unbalanced array: " + text);
                }
            }
            skipSpaces();
            array();
            skipSpaces();
            if (at != text.length()) {
                throw new IllegalArgumentException("unbalanced array: " + text);
            }
        }

        private void array() throws IOException {
            expect('{');
            json.writeStartArray();
            skipSpaces();
            if (peek() == '}') {
                at++;
                json.writeEndArray();
                return;
            }
            while (true) {
                item();
                skipSpaces();
                char next = peek();
                at++;
                if (next == '}') {
                    break;
                }
                if (next != delimiter) {
                    throw new IllegalArgumentException("unbalanced array: " + text);
                }
            }
            json.writeEndArray();
        }

        private void item() throws IOException {
            skipSpaces();
            char first = peek();
            if (first == '{') {
                array();
            } else if (first == '"') {
                at++;
                StringBuilder value = new StringBuilder();
                while (true) {
                    char c = take();
                    if (c == '"') {
                        break;
                    }
                    value.append(c == '\\' ? take() : c);
                }
                scalar(json, element, value.toString());
            } else {
                int start = at;
                while (peek() != delimiter && peek() != '}') {
                    at++;
                }
                String value = text.substring(start, at).trim();
                if (value.equals("NULL")) {
                    json.writeNull();
                } else {
                    scalar(json, element, value);
                }
            }
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private char peek() {
            if (at >= text.length()) {
                throw new IllegalArgumentException("unbalanced array: " + text);
            }
            return text.charAt(at);
        }

        private char take() {
            char c = peek();
            at++;
            return c;
        }

        private void expect(char c) {
            if (take() != c) {
                throw new IllegalArgumentException("unbalanced array: " + text);
            }
        }
    }
}
