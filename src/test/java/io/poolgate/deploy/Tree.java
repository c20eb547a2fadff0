package io.poolgate.deploy;

import java.util.List;
import java.util.Map;

/**
 * Reads parsed YAML (nested maps and lists) by path, {@code Tree.map(doc, "spec", "template")};
 * a missing step fails with the path read so far.
 */
final class Tree {

    private Tree() {
    }

    /** The node at {@code path}: a {@code String} step reads a map key, an {@code Integer} a list index. */
    static Object at(Object root, Object... path) {
        Object node = root;
        StringBuilder where = new StringBuilder();
        for (Object step : path) {
            where.append(step instanceof Integer ? "[" + step + "]" : "." + step);
            if (step instanceof Integer index && node instanceof List<?> list && index < list.size()) {
                node = list.get(index);
            } else if (step instanceof String key && node instanceof Map<?, ?> map && map.get(key) != null) {
                node = map.get(key);
            } else {
                throw new AssertionError("no " + where + " (there: " + outline(node) + ")");
            }
        }
        return node;
    }

    /** A map's keys or a list's size: enough to see what is there instead. */
    private static String outline(Object node) {
        if (node instanceof Map<?, ?> map) {
            return "keys " + map.keySet();
        }
        if (node instanceof List<?> list) {
            return "a list of " + list.size();
        }
        return String.valueOf(node);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object root, Object... path) {
        return (Map<String, Object>) cast(Map.class, root, path);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object root, Object... path) {
        return (List<Object>) cast(List.class, root, path);
    }

    static String string(Object root, Object... path) {
        return String.valueOf(at(root, path));
    }

    static int integer(Object root, Object... path) {
        return ((Number) cast(Number.class, root, path)).intValue();
    }

    private static Object cast(Class<?> type, Object root, Object... path) {
        Object node = at(root, path);
        if (!type.isInstance(node)) {
            throw new AssertionError(List.of(path) + ": expected a " + type.getSimpleName() + ", got " + outline(node));
        }
        return node;
    }
}
