package nl.betrokken.node.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;

/** One username added by several requests at once: one account is created, every other request is a 409. */
class StaffRaceTest {

    private static final int AT_ONCE = 6;

    @ParameterizedTest
    @EnumSource(Db.class)
    void sameUsername_addedAtOnce_isCreatedOnce_andEveryOtherAnswerIs409(Db db) throws Exception {
        NodeHarness node = StaffTest.node(db);
        ExecutorService callers = Executors.newFixedThreadPool(AT_ONCE);
        try {
            for (int round = 0; round < 5; round++) {
                String username = "noord-race-" + db.name().toLowerCase() + "-" + System.nanoTime();
                Map<String, Object> body = Map.of("username", username, "displayName", "Medewerker",
                        "email", "race@school.example");
                List<Callable<NodeHarness.Response>> calls = new ArrayList<>();
                for (int i = 0; i < AT_ONCE; i++) {
                    calls.add(() -> node.call("POST", "/api/v1/staff", body, "coord-a"));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<NodeHarness.Response> f : callers.invokeAll(calls)) {
                    NodeHarness.Response r = f.get();
                    statuses.add(r.status());
                    if (r.status() == 409) {
                        StaffTest.assertRefusedNaming(r, 409, "username");
                    }
                }
                Collections.sort(statuses);
                List<Integer> expected = new ArrayList<>(Collections.nCopies(AT_ONCE - 1, 409));
                expected.add(0, 201);
                assertEquals(expected, statuses, "round " + round);
            }
        } finally {
            callers.shutdown();
        }
    }
}
