package io.poolgate.upstash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Numbers read as JavaScript's String(n) writes them (the right column is what Node 20 prints). */
class JsNumbersTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "10, 10", "-0.0, 0", "1.0, 1", "0.1, 0.1", "0.30000000000000004, 0.30000000000000004",
        "1e21, 1e+21", "1e20, 100000000000000000000", "123456789012345680000, 123456789012345680000",
        "1.5e-7, 1.5e-7", "0.000001, 0.000001", "1e-7, 1e-7", "-1234.5678, -1234.5678",
        "9007199254740993, 9007199254740992", "5e-324, 5e-324", "1.7976931348623157e308, 1.7976931348623157e+308",
        "2.5e-300, 2.5e-300", "4.35, 4.35", "100.25, 100.25", "1e300, 1e+300", "1.2345678901234567e22, 1.2345678901234568e+22" })
    void writesTheShortestTextThatReadsBack(double value, String javascript) {
        assertEquals(javascript, JsNumbers.toString(value));
    }

    @ParameterizedTest
    @CsvSource({ "NaN", "Infinity", "-Infinity" })
    void refusesWhatIsNotAFiniteNumber(double value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsNumbers.toString(value));
        assertEquals("not a finite number: " + value, e.getMessage());
    }
}
