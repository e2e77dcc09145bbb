package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.callcentre.campaign.CampaignBook;
import org.callcentre.dialler.CallerIds.CallerId;
import org.callcentre.problem.RefusedException;
import org.callcentre.support.MovableClock;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;

class CallerIdsTest {

    // 23:30 in London on 1 June is already 2 June in Sydney.
    private static final Instant LATE_EVENING_IN_LONDON = Instant.parse("2025-06-01T22:30:00Z");

    private StoreDatabase database;
    private MovableClock clock;
    private CallerIds callerIds;
    private long campaign;

    @BeforeEach
    void open(StoreDatabase database) {
        this.database = database;
        clock = new MovableClock(LATE_EVENING_IN_LONDON);
        callerIds = new CallerIds(database.jdbc(), database.transaction().getTransactionManager(), clock);
        campaign = new CampaignBook(database.jdbc(), clock).addCampaign("Winter appeal", Currency.getInstance("GBP"),
                Locale.UK, true, false, false);
    }

    @OnEachDatabase
    void theLeastUsedNumberIsTakenTiesByNumber() {
        callerIds.replace(campaign, List.of("+447911123003", "+447911123001", "+447911123002"));

        List<String> taken = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            taken.add(callerIds.takeLeastUsed(campaign).orElseThrow());
        }

        assertThat(taken).containsExactly("+447911123001", "+447911123002", "+447911123003", "+447911123001",
                "+447911123002", "+447911123003", "+447911123001");
        assertThat(callerIds.list(campaign)).containsExactly(new CallerId("+447911123001", 3, false),
                new CallerId("+447911123002", 2, false), new CallerId("+447911123003", 2, false));
    }

    @OnEachDatabase
    void aSpamFlaggedNumberIsNeverTaken() {
        callerIds.replace(campaign, List.of("+447911123001", "+447911123002"));

        assertThat(callerIds.flagAsSpam(campaign, "+447911123001")).isTrue();

        assertThat(callerIds.takeLeastUsed(campaign)).contains("+447911123002");
        assertThat(callerIds.takeLeastUsed(campaign)).contains("+447911123002");
        assertThat(callerIds.list(campaign)).containsExactly(new CallerId("+447911123001", 0, true),
                new CallerId("+447911123002", 2, false));
        assertThat(callerIds.flagAsSpam(campaign, "+447911123009")).isFalse();
        assertThat(callerIds.flagAsSpam(campaign + 1, "+447911123002")).isFalse();
    }

    @OnEachDatabase
    void withoutAnUnflaggedNumberNothingIsTaken() {
        assertThat(callerIds.takeLeastUsed(campaign)).isEmpty();
        callerIds.replace(campaign, List.of("+447911123001"));
        callerIds.flagAsSpam(campaign, "+447911123001");
        assertThat(callerIds.takeLeastUsed(campaign)).isEmpty();
    }

    @OnEachDatabase
    void todayIsTheDayInTheCampaignsTimeZone() {
        callerIds.replace(campaign, List.of("+447911123001"));
        callerIds.takeLeastUsed(campaign);
        assertThat(callerIds.list(campaign)).containsExactly(new CallerId("+447911123001", 1, false));

        // Midnight in London: a new day, the count starts again.
        clock.set(Instant.parse("2025-06-01T23:00:00Z"));
        assertThat(callerIds.list(campaign)).containsExactly(new CallerId("+447911123001", 0, false));
        callerIds.takeLeastUsed(campaign);
        assertThat(callerIds.list(campaign)).containsExactly(new CallerId("+447911123001", 1, false));

        // 16:00 in London is 01:00 the next day in Sydney: a campaign there has started a new day.
        clock.set(Instant.parse("2025-06-02T15:00:00Z"));
        assertThat(callerIds.list(campaign)).containsExactly(new CallerId("+447911123001", 1, false));
        database.jdbc().update("update campaign set default_time_zone = 'Australia/Sydney' where id = ?", campaign);
        assertThat(callerIds.list(campaign)).containsExactly(new CallerId("+447911123001", 0, false));
    }

    @OnEachDatabase
    void replacingKeepsTheUseAndFlagOfNumbersThatStay() {
        callerIds.replace(campaign, List.of("+447911123001", "+447911123002", "+447911123003"));
        callerIds.takeLeastUsed(campaign);
        callerIds.takeLeastUsed(campaign);
        callerIds.flagAsSpam(campaign, "+447911123002");

        callerIds.replace(campaign, List.of("+447911123002", "+447911123004", "+447911123001", "+447911123001"));

        assertThat(callerIds.list(campaign)).containsExactly(new CallerId("+447911123001", 1, false),
                new CallerId("+447911123002", 1, true), new CallerId("+447911123004", 0, false));
    }

    @OnEachDatabase
    void onlyValidNumbersInE164AreTaken() {
        callerIds.replace(campaign, List.of("+447911123001"));

        for (String bad : List.of("07700900002", "+44 7700 900002", "+4412", "+999123456789", "hello", "")) {
            assertThatThrownBy(() -> callerIds.replace(campaign, List.of("+447911123003", bad)))
                    .isInstanceOfSatisfying(RefusedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RefusedException.Reason.INVALID));
        }

        assertThat(callerIds.list(campaign)).extracting(CallerId::number).containsExactly("+447911123001");
    }

    @OnEachDatabase
    void concurrentCallsLoseNoUseAndKeepTheNumbersLevel() throws Exception {
        callerIds.replace(campaign, List.of("+447911123001", "+447911123002", "+447911123003"));
        int threads = 4;
        int each = 60;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    List<String> taken = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        taken.add(database.transaction().execute(tx -> callerIds.takeLeastUsed(campaign))
                                .orElseThrow());
                    }
                    return taken;
                }));
            }
            start.countDown();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> result : results) {
                all.addAll(result.get(60, TimeUnit.SECONDS));
            }

            Map<String, Long> takenPerNumber = all.stream()
                    .collect(Collectors.groupingBy(number -> number, Collectors.counting()));
            assertThat(callerIds.list(campaign)).allSatisfy(callerId -> assertThat((long) callerId.usedToday())
                    .isEqualTo(takenPerNumber.get(callerId.number())));
            assertThat(callerIds.list(campaign).stream().mapToInt(CallerId::usedToday).sum())
                    .isEqualTo(threads * each);
            assertThat(callerIds.list(campaign)).extracting(CallerId::usedToday).containsOnly(threads * each / 3);
        } finally {
            pool.shutdownNow();
        }
    }

}
