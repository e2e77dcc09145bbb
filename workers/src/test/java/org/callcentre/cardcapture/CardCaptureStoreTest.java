package org.callcentre.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Locale;

import org.callcentre.campaign.CampaignBook;
import org.callcentre.cardcapture.CardCaptureStore.RunningInstance;
import org.callcentre.cardcapture.DonorStep.Kind;
import org.callcentre.cardvault.CardBrand;
import org.callcentre.payment.DeclineReason;
import org.callcentre.payment.Money;
import org.callcentre.pledge.Frequency;
import org.callcentre.pledge.PledgeBook;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.callcentre.support.HeldTransaction;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;

class CardCaptureStoreTest {

    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00.123456Z");
    private static final Instant T1 = T0.plus(Duration.ofMinutes(3));
    private static final Currency GBP = Currency.getInstance("GBP");
    private static final Money TEN_POUNDS = new Money(1000, GBP);
    private static final Duration LOCK_WAIT = Duration.ofMillis(300);

    private StoreDatabase database;
    private PledgeBook pledges;
    private CardCaptureStore captures;
    /** The same table, its clock three minutes on. */
    private CardCaptureStore later;
    private long pledgeId;

    @BeforeEach
    void openStore(StoreDatabase database) {
        this.database = database;
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        pledges = new PledgeBook(database.jdbc(), clock);
        captures = new CardCaptureStore(database.jdbc(), clock);
        later = new CardCaptureStore(database.jdbc(), Clock.fixed(T1, ZoneOffset.UTC));
        long campaignId = new CampaignBook(database.jdbc(), clock).addCampaign("Winter appeal", GBP, Locale.UK, true,
                true, true);
        pledgeId = pledge(campaignId);
    }

    private long pledge(long campaignId) {
        return pledges.addPledge(campaignId, "Ada Donor", "+447700900123", TEN_POUNDS, Frequency.MONTHLY);
    }

    private void start(CardCaptureStore store, String id, long pledge, String callSid) {
        store.insert(id, pledge, callSid, "conference-" + callSid, "agent-1", PaymentPath.CHARGE_THEN_TOKENISE,
                TEN_POUNDS);
    }

    // ------------------------------------------------------------------ starting and finishing

    @OnEachDatabase
    void aStartedCaptureComesBackRunningAtItsFirstStep() {
        captures.insert("c1", pledgeId, "CA1", "conference-1", "agent-1", PaymentPath.TOKENISE_ONLY,
                new Money(2550, GBP));

        assertThat(captures.get("c1")).isEqualTo(new CardCapture("c1", pledgeId, null, "CA1", "conference-1",
                "agent-1", Outcome.IN_PROGRESS, 0, 0, null, 0, null, null, null, null, false, false, T0, null,
                PaymentPath.TOKENISE_ONLY, new Money(2550, GBP), null, null, 0));
        assertThat(captures.running(pledgeId)).map(CardCapture::id).contains("c1");
        assertThat(captures.latest(pledgeId)).map(CardCapture::id).contains("c1");
        assertThat(captures.runningByCallSid("CA1")).map(CardCapture::id).contains("c1");
        assertThat(captures.conferenceName("c1")).contains("conference-1");
        assertThat(captures.silentPromptsInARow("c1")).isZero();
        assertThat(database.jdbc().queryForObject("select started_at from card_capture where id = 'c1'",
                LocalDateTime.class)).isEqualTo(LocalDateTime.ofInstant(T0, ZoneOffset.UTC));
    }

    @OnEachDatabase
    void anUnknownCaptureIsEmptyOrRefused() {
        assertThat(captures.find("nope")).isEmpty();
        assertThat(captures.lock("nope")).isEmpty();
        assertThat(captures.conferenceName("nope")).isEmpty();
        assertThat(captures.running(pledgeId)).isEmpty();
        assertThat(captures.latest(pledgeId)).isEmpty();
        assertThat(captures.runningByCallSid("CA1")).isEmpty();
        assertThat(captures.findForInstance("pi-1")).isEmpty();
        assertThatThrownBy(() -> captures.get("nope")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> captures.forInstance("pi-1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> captures.lockForInstance("pi-1")).isInstanceOf(IllegalStateException.class);
    }

    @OnEachDatabase
    void aCaptureForAnUnknownPledgeIsRefused() {
        assertThatThrownBy(() -> start(captures, "c1", pledgeId + 1, "CA1"))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @OnEachDatabase
    void aPledgeHasAtMostOneRunningCapture() {
        start(captures, "c1", pledgeId, "CA1");

        assertThatThrownBy(() -> start(captures, "c2", pledgeId, "CA2")).isInstanceOf(DuplicateKeyException.class);
        assertThat(captures.find("c2")).isEmpty();

        // Another pledge may run one at the same time, even on the same call.
        long other = pledge(pledges.pledge(pledgeId).orElseThrow().campaignId());
        start(captures, "c3", other, "CA1");
        assertThat(captures.running(other)).map(CardCapture::id).contains("c3");
    }

    @OnEachDatabase
    void twoRacingStartsForOnePledgeLeaveOneRunningCapture() {
        try (HeldTransaction first = database.hold(() -> start(captures, "c1", pledgeId, "CA1"))) {
            // The second start cannot see the first one yet: the unique running_pledge_id refuses it all the same
            // (at once, or after waiting for the first transaction, which is still open).
            assertThatThrownBy(() -> database.inTransactionWaitingAtMost(LOCK_WAIT, () -> {
                start(captures, "c2", pledgeId, "CA2");
                return null;
            })).isInstanceOf(DataAccessException.class);
            first.commit();
        }

        assertThat(captures.running(pledgeId)).map(CardCapture::id).contains("c1");
        assertThat(captures.find("c2")).isEmpty();
    }

    @OnEachDatabase
    void aFinishedCaptureFreesThePledgeForTheNextOne() {
        start(captures, "c1", pledgeId, "CA1");

        later.finish("c1", Outcome.DECLINED);

        CardCapture finished = captures.get("c1");
        assertThat(finished.status()).isEqualTo(Outcome.DECLINED);
        assertThat(finished.endedAt()).isEqualTo(T1);
        assertThat(database.jdbc().queryForObject("select ended_at from card_capture where id = 'c1'",
                LocalDateTime.class)).isEqualTo(LocalDateTime.ofInstant(T1, ZoneOffset.UTC));
        assertThat(captures.running(pledgeId)).isEmpty();
        assertThat(captures.runningByCallSid("CA1")).isEmpty();
        assertThat(captures.latest(pledgeId)).map(CardCapture::id).contains("c1");

        start(later, "c2", pledgeId, "CA1");
        assertThat(captures.running(pledgeId)).map(CardCapture::id).contains("c2");
        assertThat(captures.runningByCallSid("CA1")).map(CardCapture::id).contains("c2");
        assertThat(captures.latest(pledgeId)).map(CardCapture::id).contains("c2");
    }

    @OnEachDatabase
    void aChargeWhoseOutcomeIsUnknownKeepsThePledgeBusy() {
        start(captures, "c1", pledgeId, "CA1");
        captures.setProcessInstance("c1", "pi-1");

        captures.markUnknown("c1");

        assertThat(captures.get("c1").status()).isEqualTo(Outcome.UNKNOWN);
        assertThat(captures.running(pledgeId)).map(CardCapture::id).contains("c1");
        assertThatThrownBy(() -> start(captures, "c2", pledgeId, "CA2")).isInstanceOf(DuplicateKeyException.class);
        // The sweeper looks only at captures still in progress.
        assertThat(captures.runningInstances()).isEmpty();
    }

    @OnEachDatabase
    void runningInstancesAreTheCapturesInProgressWithAProcessInstance() {
        long second = pledge(pledges.pledge(pledgeId).orElseThrow().campaignId());
        long third = pledge(pledges.pledge(pledgeId).orElseThrow().campaignId());
        start(captures, "c1", pledgeId, "CA1");
        captures.setProcessInstance("c1", "pi-1");
        start(captures, "c2", second, "CA2");
        start(captures, "c3", third, "CA3");
        captures.setProcessInstance("c3", "pi-3");
        captures.finish("c3", Outcome.SUCCEEDED);

        assertThat(captures.runningInstances()).containsExactly(new RunningInstance("c1", "pi-1"));
    }

    @OnEachDatabase
    void aCaptureIsFoundByItsProcessInstance() {
        start(captures, "c1", pledgeId, "CA1");
        captures.setProcessInstance("c1", "pi-1");

        assertThat(captures.forInstance("pi-1").id()).isEqualTo("c1");
        assertThat(captures.findForInstance("pi-1")).map(CardCapture::processInstanceId).contains("pi-1");
        CardCapture locked = database.transaction().execute(status -> captures.lockForInstance("pi-1"));
        assertThat(locked.id()).isEqualTo("c1");
    }

    // ------------------------------------------------------------------ the donor's entries

    @OnEachDatabase
    void anEntryIsTakenOnceAtItsStep() {
        start(captures, "c1", pledgeId, "CA1");

        captures.takeEntry("c1", 0, Kind.CARD_NUMBER, 1, EntryError.NOT_A_CARD_NUMBER, null, null);
        assertThat(captures.get("c1")).extracting(CardCapture::step, CardCapture::failures, CardCapture::entryError)
                .containsExactly(1, 1, EntryError.NOT_A_CARD_NUMBER);

        // A retried webhook for step 0 is recognised: nothing changes.
        assertThatThrownBy(() -> captures.takeEntry("c1", 0, Kind.CARD_NUMBER, 0, null, CardBrand.VISA,
                "Visa ending 4242"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("step 0");
        assertThat(captures.get("c1").step()).isEqualTo(1);

        captures.takeEntry("c1", 1, Kind.CARD_NUMBER, 0, null, CardBrand.VISA, "Visa ending 4242");
        // An entry without a card (the expiry date) keeps the brand and masked card.
        captures.takeEntry("c1", 2, Kind.EXPIRY, 0, null, null, null);
        assertThat(captures.get("c1")).extracting(CardCapture::step, CardCapture::failures, CardCapture::entryError,
                CardCapture::cardBrand, CardCapture::maskedCard)
                .containsExactly(3, 0, null, CardBrand.VISA, "Visa ending 4242");
        assertThat(captures.lastPrompt("c1")).contains(Kind.EXPIRY);
    }

    @OnEachDatabase
    void theLastEntrysPromptIsKeptForTheOutcomeInWords() {
        start(captures, "c1", pledgeId, "CA1");
        assertThat(captures.lastPrompt("c1")).isEmpty();

        captures.takeEntry("c1", 0, Kind.CARD_NUMBER, 0, null, CardBrand.VISA, "Visa ending 4242");
        assertThat(captures.lastPrompt("c1")).contains(Kind.CARD_NUMBER);
        captures.takeEntry("c1", 1, Kind.SECURITY_CODE, 1, EntryError.NOT_A_SECURITY_CODE, null, null);
        assertThat(captures.lastPrompt("c1")).contains(Kind.SECURITY_CODE);

        assertThatThrownBy(() -> captures.takeEntry("c1", 2, Kind.HOLD, 0, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(captures.get("c1").step()).isEqualTo(2);
        assertThat(captures.lastPrompt("nobody")).isEmpty();
    }

    @OnEachDatabase
    void silencesCountInARowUntilAnEntryWithKeys() {
        start(captures, "c1", pledgeId, "CA1");

        captures.takeSilence("c1", 0);
        captures.takeSilence("c1", 1);
        assertThat(captures.silentPromptsInARow("c1")).isEqualTo(2);
        assertThat(captures.get("c1")).extracting(CardCapture::step, CardCapture::failures, CardCapture::entryError)
                .containsExactly(2, 0, EntryError.SILENCE);
        assertThatThrownBy(() -> captures.takeSilence("c1", 1)).isInstanceOf(IllegalStateException.class);

        captures.takeEntry("c1", 2, Kind.CARD_NUMBER, 1, EntryError.NOT_A_CARD_NUMBER, null, null);
        assertThat(captures.silentPromptsInARow("c1")).isZero();

        captures.takeSilence("c1", 3);
        assertThat(captures.silentPromptsInARow("c1")).isOne();
        assertThat(captures.get("c1").failures()).isOne();
    }

    // ------------------------------------------------------------------ the gateway's answers

    @OnEachDatabase
    void aDeclineForgetsTheCardAndItsGatewayFacts() {
        start(captures, "c1", pledgeId, "CA1");
        captures.takeEntry("c1", 0, Kind.EXPIRY, 2, EntryError.CARD_EXPIRED, CardBrand.AMEX,
                "American Express ending 0005");
        captures.recordPaymentMethod("c1", "pm_1");
        captures.recordChargeReference("c1", "ch_1");

        captures.recordDecline("c1", 1, DeclineReason.INSUFFICIENT_FUNDS);

        CardCapture declined = captures.get("c1");
        assertThat(declined).extracting(CardCapture::declines, CardCapture::declineReason, CardCapture::failures,
                CardCapture::entryError, CardCapture::cardBrand, CardCapture::maskedCard, CardCapture::paymentMethod,
                CardCapture::chargeReference)
                .containsExactly(1, DeclineReason.INSUFFICIENT_FUNDS, 0, null, null, null, null, null);
        assertThat(declined.step()).isOne();

        captures.recordDeclineReason("c1", DeclineReason.DECLINED_BY_BANK);
        assertThat(captures.get("c1").declineReason()).isEqualTo(DeclineReason.DECLINED_BY_BANK);
    }

    @OnEachDatabase
    void theGatewaysFactsAndTheCallsEventsAreKept() {
        start(captures, "c1", pledgeId, "CA1");

        captures.recordPaymentMethod("c1", "pm_1");
        captures.recordChargeReference("c1", "ch_1");
        captures.recordNewToken("c1", "tok_1");
        captures.markDonorHungUp("c1");
        captures.markDonorReturned("c1");

        assertThat(captures.get("c1")).extracting(CardCapture::paymentMethod, CardCapture::chargeReference,
                CardCapture::newTokenRef, CardCapture::donorHungUp, CardCapture::donorReturned)
                .containsExactly("pm_1", "ch_1", "tok_1", true, true);
        assertThat(captures.countSettleAttempt("c1")).isOne();
        assertThat(captures.countSettleAttempt("c1")).isEqualTo(2);
        assertThat(captures.get("c1").settleAttempts()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ locks

    @OnEachDatabase
    void aLockedCaptureMakesTheNextWebhookWaitUntilTheFirstTransactionEnds() {
        start(captures, "c1", pledgeId, "CA1");
        captures.setProcessInstance("c1", "pi-1");

        try (HeldTransaction first = database.hold(() -> {
            assertThat(captures.lock("c1")).isPresent();
            captures.takeEntry("c1", 0, Kind.CARD_NUMBER, 0, null, CardBrand.VISA, "Visa ending 4242");
        })) {
            assertThatThrownBy(() -> database.inTransactionWaitingAtMost(LOCK_WAIT, () -> captures.lock("c1")))
                    .matches(StoreDatabase::gaveUpWaitingForALock, "gave up waiting for the lock");
            assertThatThrownBy(() -> database.inTransactionWaitingAtMost(LOCK_WAIT,
                    () -> captures.lockForInstance("pi-1")))
                    .matches(StoreDatabase::gaveUpWaitingForALock, "gave up waiting for the lock");
            // A plain read does not wait, and does not see the uncommitted entry.
            assertThat(captures.get("c1").step()).isZero();
            first.commit();
        }

        CardCapture next = database.inTransactionWaitingAtMost(LOCK_WAIT, () -> captures.lock("c1")).orElseThrow();
        assertThat(next.step()).isOne();
        assertThat(next.cardBrand()).isEqualTo(CardBrand.VISA);
    }
}
