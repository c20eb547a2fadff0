package io.poolgate.security;

import static io.poolgate.security.Keys.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys mapped to database roles are served by connections that logged in as the role, so no
 * statement can reach another role's rights: row-level security keeps each role's rows to itself,
 * interleaved requests never run as the other role, and SET ROLE / SESSION AUTHORIZATION / set_config
 * cannot cross over (PostgreSQL refuses them to a login that is not a member or a superuser).
 */
@QuarkusTest
@TestProfile(RolesProfile.class)
@WithTestResource(EmbeddedServers.class)
class RoleLoginsTest {

    static String sql(String sql) {
        return "{\"sql\": \"" + sql.replace("\"", "\\\"") + "\"}";
    }

    /** Roles, a table only they can use, and a policy keeping each role's rows to itself (as the pool's superuser). */
    @BeforeEach
    void rolesAndTheirTable() {
        String setup = "DO $$ BEGIN "
                + "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'role_alice') THEN CREATE ROLE role_alice LOGIN; END IF; "
                + "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'role_bob') THEN CREATE ROLE role_bob LOGIN; END IF; "
                + "CREATE TABLE IF NOT EXISTS role_notes (owner name NOT NULL DEFAULT current_user, body text); "
                + "ALTER TABLE role_notes ENABLE ROW LEVEL SECURITY; "
                + "IF NOT EXISTS (SELECT FROM pg_policies WHERE tablename = 'role_notes') THEN "
                + "CREATE POLICY own_notes ON role_notes USING (owner = current_user) WITH CHECK (owner = current_user); "
                + "END IF; GRANT SELECT, INSERT ON role_notes TO role_alice, role_bob; END $$";
        as(Keys.WRITER).body(sql(setup)).post("/api/v1/pools/main/query").then().statusCode(200);
    }

    @Test
    void eachRolesRowsAreInvisibleToTheOther() {
        String mark = "note-" + System.nanoTime();
        as(RolesProfile.ALICE).body("{\"sql\": \"INSERT INTO role_notes (body) VALUES ($1)\", \"params\": [\"" + mark
                + "\"]}").post("/api/v1/pools/main/query").then().statusCode(200).body("rowCount", equalTo(1));

        String count = "{\"sql\": \"SELECT count(*)::int AS n FROM role_notes WHERE body = $1\", \"params\": [\""
                + mark + "\"]}";
        as(RolesProfile.ALICE).body(count).post("/api/v1/pools/main/query").then().statusCode(200)
                .body("rows[0].n", equalTo(1));
        as(RolesProfile.BOB).body(count).post("/api/v1/pools/main/query").then().statusCode(200)
                .body("rows[0].n", equalTo(0));
        // and bob cannot write a row as alice
        as(RolesProfile.BOB).body("{\"sql\": \"INSERT INTO role_notes (owner, body) VALUES ('role_alice', 'forged')\"}")
                .post("/api/v1/pools/main/query").then().statusCode(422).body("sqlstate", equalTo("42501"));
    }

    @Test
    void interleavedRequestsNeverRunAsTheOtherRole() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                boolean alice = i % 2 == 0;
                answers.add(threads.submit(() -> {
                    var rows = as(alice ? RolesProfile.ALICE : RolesProfile.BOB)
                            .body(sql("SELECT current_user AS u, session_user AS s")).post("/api/v1/pools/main/query")
                            .then().statusCode(200).extract().jsonPath();
                    String want = alice ? "role_alice" : "role_bob";
                    return want.equals(rows.getString("rows[0].u")) && want.equals(rows.getString("rows[0].s"))
                            ? "ok" : want + " ran as " + rows.getString("rows[0].u") + "/" + rows.getString("rows[0].s");
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<String> answer : answers) {
                String result = answer.get();
                if (!result.equals("ok")) {
                    wrong.add(result);
                }
            }
            assertEquals(List.of(), wrong, "every request ran as its own key's role");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void noStatementCrossesToAnotherRole() {
        for (String escape : List.of("SET ROLE role_bob", "SET ROLE postgres", "SET SESSION AUTHORIZATION role_bob",
                "SELECT set_config('role', 'role_bob', false)")) {
            as(RolesProfile.ALICE).body(sql(escape)).post("/api/v1/pools/main/query").then().statusCode(422)
                    .body("sqlstate", equalTo("42501"));
        }
        as(RolesProfile.ALICE).body(sql("RESET ROLE")).post("/api/v1/pools/main/query").then().statusCode(200);
        as(RolesProfile.ALICE).body(sql("SELECT current_user AS u")).post("/api/v1/pools/main/query").then()
                .statusCode(200).body("rows[0].u", equalTo("role_alice"));

        String lease = as(RolesProfile.ALICE).body("{}").post("/api/v1/pools/main/sessions").then().statusCode(201)
                .extract().path("id");
        as(RolesProfile.ALICE).body(sql("SET ROLE role_bob")).post("/api/v1/sessions/" + lease + "/query").then()
                .statusCode(422).body("sqlstate", equalTo("42501"));
        as(RolesProfile.ALICE).body(sql("SELECT current_user AS u")).post("/api/v1/sessions/" + lease + "/query")
                .then().statusCode(200).body("rows[0].u", equalTo("role_alice"));
        as(RolesProfile.ALICE).delete("/api/v1/sessions/" + lease).then().statusCode(204);
    }

    @Test
    void aRolesConnectionsAreBoundedPerNodeAndShownPerNode() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> slow = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                slow.add(threads.submit(() -> as(RolesProfile.BOB).body(sql("SELECT pg_sleep(0.3)"))
                        .post("/api/v1/pools/main/query").then().extract().statusCode()));
            }
            Thread.sleep(150);
            Map<String, Object> bob = as(Keys.ADMIN).get("/api/v1/pools/main").then().statusCode(200).extract()
                    .jsonPath().getMap("nodes[0].roles.role_bob");
            assertTrue(((Number) bob.get("total")).intValue() <= 2, "role_bob's max-connections is 2: " + bob);
            for (Future<Integer> status : slow) {
                assertEquals(200, status.get(), "the others wait their turn");
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
