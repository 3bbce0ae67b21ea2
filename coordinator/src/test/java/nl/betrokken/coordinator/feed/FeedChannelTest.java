package nl.betrokken.coordinator.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;

/**
 * A node's long-poll on one coordinator instance wakes at once when another instance on the same PostgreSQL database
 * appends to its feed ({@code LISTEN/NOTIFY}), not at its next re-read of the database.
 */
class FeedChannelTest {

    @Test
    void longPollOnOtherInstance_wokenByNotify_beforeItsRecheck() throws Exception {
        try (Harness one = Harness.fresh(Db.POSTGRES); Harness two = Harness.start(one.properties())) {
            FeedNotifier waiting = two.bean(FeedNotifier.class);
            awaitListening(waiting);
            awaitListening(one.bean(FeedNotifier.class));
            assertEquals(Duration.ofSeconds(FeedNotifier.LISTENING_RECHECK_SECONDS), waiting.recheck());

            TestNode noord = one.enrol("noord");
            TestNode oostOnTwo = two.sameNode(one.enrol("oost"));
            String youth = People.bsn();
            assertEquals(200, noord.submit(List.of(People.record("n-1", "org", youth))).status());
            one.awaitMatching();

            // oost waits on instance two; the match is made by instance one's matcher.
            long started = System.nanoTime();
            CompletableFuture<Harness.Response> poll = CompletableFuture.supplyAsync(() -> oostOnTwo.feed(0, 40));
            Thread.sleep(1500);
            assertFalse(poll.isDone(), "nothing for oost yet: its long-poll waits");
            assertEquals(200, one.sameNode(oostOnTwo).submit(List.of(People.record("o-1", "org", youth))).status());

            Harness.Response page = poll.get(30, TimeUnit.SECONDS);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertEquals(200, page.status(), String.valueOf(page.body()));
            assertEquals(1, page.body().get("entries").size(), String.valueOf(page.body()));
            assertEquals("o-1", page.body().get("entries").get(0).get("ref").asText());
            assertTrue(seconds < FeedNotifier.LISTENING_RECHECK_SECONDS - 5,
                    "woken by the notification, not by the " + FeedNotifier.LISTENING_RECHECK_SECONDS
                            + " s re-read: took " + seconds + " s");
        }
    }

    @Test
    void onH2_noChannel_readersRecheckEverySecond() {
        FeedNotifier notifier = Harness.shared(Db.H2).bean(FeedNotifier.class);
        assertFalse(notifier.listening());
        assertEquals(Duration.ofSeconds(1), notifier.recheck());
    }

    private static void awaitListening(FeedNotifier notifier) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!notifier.listening() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(notifier.listening(), "the instance listens on its feed channel");
    }
}
