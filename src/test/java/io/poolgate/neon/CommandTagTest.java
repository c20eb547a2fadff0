package io.poolgate.neon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rows count of a command tag, read as Neon's proxy reads it. */
class CommandTagTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "null", value = {
        "SELECT, 5, 5", "INSERT, 0 3, 3", "INSERT, 0, null", "UPDATE, 0, 0", "DELETE, 12, 12", "MERGE, 2, 2",
        "COPY, 7, 7", "FETCH, 1, 1", "CREATE, TABLE, null", "DISCARD, ALL, null", "START, TRANSACTION, null" })
    void countsTheRows(String command, String rest, Long count) {
        assertEquals(count, ResultWriter.count(command, rest));
    }
}
