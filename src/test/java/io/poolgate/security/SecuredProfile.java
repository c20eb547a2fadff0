package io.poolgate.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/** The test pools with authentication on: one key per kind of grant ({@link Keys}), and HS256 JWTs. */
public class SecuredProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("poolgate.auth.enabled", "true");
        key(config, "reader", Keys.READER, "read", "main,cache");
        key(config, "writer", Keys.WRITER, "write", "*");
        key(config, "other-writer", Keys.OTHER_WRITER, "write", "*");
        key(config, "admin", Keys.ADMIN, "admin", "*");
        key(config, "main-only", Keys.MAIN_ONLY, "write,admin", "main");
        key(config, "limited", Keys.LIMITED, "write", "main");
        config.put("poolgate.auth.keys.limited.rate-limit.requests-per-second", "1");
        config.put("poolgate.auth.keys.limited.rate-limit.burst", "3");
        config.put("poolgate.auth.metrics-key", Keys.hash(Keys.METRICS));
        config.put("poolgate.auth.jwt.secret", Keys.JWT_SECRET);
        config.put("poolgate.auth.jwt.issuer", Keys.ISSUER);
        config.put("poolgate.auth.jwt.audience", Keys.AUDIENCE);
        // the tests send bad credentials on purpose; FailedAuthenticationsTest covers the limit
        config.put("poolgate.auth.failures.burst", "1000");
        config.put("poolgate.auth.failures.per-minute", "1000");
        return config;
    }

    static void key(Map<String, String> config, String name, String key, String scopes, String pools) {
        config.put("poolgate.auth.keys." + name + ".hash", Keys.hash(key));
        config.put("poolgate.auth.keys." + name + ".scopes", scopes);
        config.put("poolgate.auth.keys." + name + ".pools", pools);
    }
}
