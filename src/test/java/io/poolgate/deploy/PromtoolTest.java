package io.poolgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** How the promtool tests find promtool, and what they do without it. */
final class PromtoolTest {

    @TempDir
    Path dir;

    @Test
    void findsAnExecutablePromtoolOnThePath() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path promtool = Files.createFile(bin.resolve("promtool"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertEquals(promtool, Promtool.locate(dir + File.pathSeparator + bin, null));
    }

    @Test
    void withoutPromtoolOnCiTheTestFailsNamingCiRun() {
        AssertionFailedError error = assertThrows(AssertionFailedError.class, () -> Promtool.locate(dir.toString(), "true"));
        assertEquals("promtool is not on the PATH: .ci/run should have installed it (apt-get install -y prometheus)",
                error.getMessage());
    }

    @Test
    void withoutPromtoolElsewhereTheTestIsSkipped() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> Promtool.locate(dir.toString(), null));
        assertEquals("promtool not installed: apt-get install -y prometheus", skipped.getMessage());
    }

    @Test
    void aPromtoolFileThatIsNotExecutableDoesNotCount() throws IOException {
        Files.createFile(dir.resolve("promtool"));
        assertThrows(TestAbortedException.class, () -> Promtool.locate(dir.toString(), "false"));
    }
}
