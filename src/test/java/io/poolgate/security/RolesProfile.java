package io.poolgate.security;

import java.util.Map;

/** {@link SecuredProfile} plus two keys mapped to database roles with logins of their own. */
public class RolesProfile extends SecuredProfile {

    static final String ALICE = "pgk-ALICE-4c1d-SECRET";
    static final String BOB = "pgk-BOB-9e2a-SECRET";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = super.getConfigOverrides();
        key(config, "alice", ALICE, "write", "main");
        config.put("poolgate.auth.keys.alice.role", "role_alice");
        key(config, "bob", BOB, "write", "main");
        config.put("poolgate.auth.keys.bob.role", "role_bob");
        config.put("poolgate.auth.roles.role_alice.password", "alice-db-password");
        config.put("poolgate.auth.roles.role_bob.password", "bob-db-password");
        config.put("poolgate.auth.roles.role_bob.max-connections", "2");
        return config;
    }
}
