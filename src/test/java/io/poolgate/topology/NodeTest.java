package io.poolgate.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NodeTest {

    @Test
    void safeUrlHidesThePassword() {
        assertEquals("postgresql://app:***@db:5432/appdb",
                new Node("n", "postgresql://app:s3cret@db:5432/appdb", Node.Role.PRIMARY, 1).safeUrl());
    }

    @Test
    void safeUrlKeepsAUrlWithoutPassword() {
        assertEquals("redis://db:6379", Node.redact("redis://db:6379"));
        assertEquals("postgresql://app@db/appdb", Node.redact("postgresql://app@db/appdb"));
    }

    @Test
    void safeUrlOfAnUnparsableUrlShowsOnlyTheScheme() {
        assertEquals("postgresql://***", Node.redact("postgresql://a b:c d@host"));
    }
}
