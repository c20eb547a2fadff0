package io.poolgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** The Kubernetes manifests shipped under {@code deploy/kubernetes}, one document per file. */
final class Manifests {

    static final Path DIR = Path.of("deploy", "kubernetes");

    private Manifests() {
    }

    static Map<String, Object> load(String file) {
        return yaml(read(DIR.resolve(file)));
    }

    static Map<String, Object> deployment() {
        return load("deployment.yaml");
    }

    /** The gateway's container in the Deployment's pod template. */
    static Map<String, Object> container() {
        List<Object> containers = Tree.list(deployment(), "spec", "template", "spec", "containers");
        return containers.stream().map(c -> Tree.map(c)).filter(c -> "poolgate".equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container named 'poolgate' in deployment.yaml"));
    }

    /** The application.yaml the ConfigMap carries, as text. */
    static String configMapApplicationYaml() {
        return Tree.string(load("configmap.yaml"), "data", "application.yaml");
    }

    static Map<String, Object> yaml(String text) {
        return new Yaml().load(text);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
