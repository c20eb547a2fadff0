package io.poolgate.security;

import java.util.Map;

/** {@link SecuredProfile} with a small failed-authentication burst: 3 at once, one forgiven a minute. */
public class ThrottledProfile extends SecuredProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = super.getConfigOverrides();
        config.put("poolgate.auth.failures.burst", "3");
        config.put("poolgate.auth.failures.per-minute", "1");
        return config;
    }
}
