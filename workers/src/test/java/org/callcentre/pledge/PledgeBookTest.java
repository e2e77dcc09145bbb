package org.callcentre.pledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Locale;

import org.callcentre.campaign.Campaign;
import org.callcentre.campaign.CampaignBook;
import org.callcentre.cardcapture.CardCaptureStore;
import org.callcentre.payment.Money;
import org.callcentre.pledge.PledgeBook.PledgeInCampaign;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.callcentre.support.HeldTransaction;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;

class PledgeBookTest {

    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00.123456Z");
    private static final Currency GBP = Currency.getInstance("GBP");
    private static final Money TEN_POUNDS = new Money(1000, GBP);
    private static final Duration LOCK_WAIT = Duration.ofMillis(300);

    private StoreDatabase database;
    private CampaignBook campaigns;
    private PledgeBook pledges;
    private CardCaptureStore captures;
    private long campaignId;

    @BeforeEach
    void openBook(StoreDatabase database) {
        this.database = database;
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        campaigns = new CampaignBook(database.jdbc(), clock);
        pledges = new PledgeBook(database.jdbc(), clock);
        captures = new CardCaptureStore(database.jdbc(), clock);
        campaignId = campaigns.addCampaign("Winter appeal", GBP, Locale.UK, true, true, true, false);
    }

    private long pledge() {
        return pledges.addPledge(campaignId, "Ada Donor", "+447700900123", TEN_POUNDS, Frequency.MONTHLY);
    }

    private String capture(long pledgeId) {
        String id = "capture-" + pledgeId;
        captures.insert(id, pledgeId, "CA1", "conference-1", "agent-1", PaymentPath.CHARGE_THEN_TOKENISE, TEN_POUNDS);
        return id;
    }

    private int paymentRows() {
        return database.jdbc().queryForObject("select count(*) from payment", Integer.class);
    }

    // ------------------------------------------------------------------ pledges

    @OnEachDatabase
    void aPledgeComesBackAsItWentInUnpaidAndWithoutACard() {
        long id = pledges.addPledge(campaignId, "Ada Donor", "+447700900123", new Money(2550, GBP), Frequency.ONE_OFF);

        assertThat(pledges.pledge(id)).contains(new Pledge(id, campaignId, "Ada Donor", "+447700900123",
                new Money(2550, GBP), Frequency.ONE_OFF, null, null, false, T0, null));
        assertThat(pledges.payments(id)).isEmpty();
    }

    @OnEachDatabase
    void theCreationTimeIsKeptInUtc() {
        long id = pledge();

        assertThat(database.jdbc().queryForObject("select created_at from pledge where id = ?", LocalDateTime.class,
                id)).isEqualTo(LocalDateTime.ofInstant(T0, ZoneOffset.UTC));
    }

    @OnEachDatabase
    void aPledgeForAnUnknownCampaignIsRefused() {
        assertThatThrownBy(() -> pledges.addPledge(campaignId + 1, "Ada Donor", "+447700900123", TEN_POUNDS,
                Frequency.ONE_OFF)).isInstanceOf(DataIntegrityViolationException.class);
    }

    @OnEachDatabase
    void theSchemaRefusesAnAmountThatIsNotPositive() {
        assertThatThrownBy(() -> database.jdbc().update("insert into pledge (campaign_id, donor_name, donor_phone, "
                + "amount_minor, currency, frequency, created_at) values (?, 'Ada', '+44', 0, 'GBP', 'ONE_OFF', "
                + "current_timestamp)", campaignId)).isInstanceOf(DataIntegrityViolationException.class);
    }

    @OnEachDatabase
    void anUnknownPledgeIsEmpty() {
        assertThat(pledges.pledge(42)).isEmpty();
        assertThat(pledges.pledgeInCampaign(42)).isEmpty();
        assertThat(pledges.pledgeForUpdate(42)).isEmpty();
    }

    @OnEachDatabase
    void aPledgeComesWithItsOwnCampaign() {
        long other = campaigns.addCampaign("Tokens only", Currency.getInstance("EUR"), Locale.forLanguageTag("ga-IE"),
                false, true, false, true);
        long first = pledge();
        long second = pledges.addPledge(other, "Bea Donor", "+353851234567", new Money(500, Currency.getInstance("EUR")),
                Frequency.WEEKLY);

        assertThat(pledges.pledgeInCampaign(first)).contains(new PledgeInCampaign(pledges.pledge(first).orElseThrow(),
                new Campaign(campaignId, "Winter appeal", GBP, Locale.UK, true, true, true, false)));
        assertThat(pledges.pledgeInCampaign(second)).contains(new PledgeInCampaign(
                pledges.pledge(second).orElseThrow(), new Campaign(other, "Tokens only", Currency.getInstance("EUR"),
                        Locale.forLanguageTag("ga-IE"), false, true, false, true)));
    }

    @OnEachDatabase
    void adoptingACardKeepsTheOldTokenUnlessThereIsANewOne() {
        long id = pledge();

        pledges.adoptCard(id, "Visa ending 4242", "tok_1");
        assertThat(pledges.pledge(id)).get().extracting(Pledge::maskedCard, Pledge::tokenRef)
                .containsExactly("Visa ending 4242", "tok_1");

        pledges.adoptCard(id, "Mastercard ending 4444", null);
        assertThat(pledges.pledge(id)).get().extracting(Pledge::maskedCard, Pledge::tokenRef)
                .containsExactly("Mastercard ending 4444", "tok_1");
    }

    // ------------------------------------------------------------------ charges

    @OnEachDatabase
    void aChargeIsRecordedAndMarksThePledgePaid() {
        long id = pledge();
        String captureId = capture(id);

        pledges.recordCharge(id, captureId, TEN_POUNDS, "ch_1", "Visa ending 4242");

        assertThat(pledges.payments(id)).singleElement().satisfies(payment -> {
            assertThat(payment.pledgeId()).isEqualTo(id);
            assertThat(payment.captureId()).isEqualTo(captureId);
            assertThat(payment.amount()).isEqualTo(TEN_POUNDS);
            assertThat(payment.gatewayReference()).isEqualTo("ch_1");
            assertThat(payment.maskedCard()).isEqualTo("Visa ending 4242");
            assertThat(payment.createdAt()).isEqualTo(T0);
        });
        assertThat(pledges.pledge(id)).get().extracting(Pledge::paid).isEqualTo(true);
        assertThat(database.jdbc().queryForObject("select created_at from payment where gateway_reference = 'ch_1'",
                LocalDateTime.class)).isEqualTo(LocalDateTime.ofInstant(T0, ZoneOffset.UTC));
    }

    @OnEachDatabase
    void aReplayedChargeIsRecordedOnce() {
        long id = pledge();
        String captureId = capture(id);

        pledges.recordCharge(id, captureId, TEN_POUNDS, "ch_1", "Visa ending 4242");
        pledges.recordCharge(id, captureId, TEN_POUNDS, "ch_1", "Visa ending 4242");
        pledges.recordCharge(id, captureId, new Money(2000, GBP), "ch_2", "Visa ending 4242");

        assertThat(pledges.payments(id)).extracting(Payment::gatewayReference).containsExactly("ch_1", "ch_2");
    }

    @OnEachDatabase
    void aChargeWithoutACaptureIsRecordedAndOneForAnUnknownCaptureIsRefused() {
        long id = pledge();

        pledges.recordCharge(id, null, TEN_POUNDS, "ch_token", null);
        assertThat(pledges.payments(id)).singleElement().extracting(Payment::captureId, Payment::maskedCard)
                .containsExactly(null, null);

        assertThatThrownBy(() -> pledges.recordCharge(id, "no-such-capture", TEN_POUNDS, "ch_2", null))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @OnEachDatabase
    void theSchemaRefusesASecondPaymentWithTheSameGatewayReference() {
        long id = pledge();
        pledges.recordCharge(id, null, TEN_POUNDS, "ch_1", null);

        assertThatThrownBy(() -> database.jdbc().update("insert into payment (pledge_id, amount_minor, currency, "
                + "gateway_reference, created_at) values (?, 1000, 'GBP', 'ch_1', current_timestamp)", id))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @OnEachDatabase
    void aReplayRacingTheFirstRecordingFailsInsteadOfRecordingTwice() {
        long id = pledge();
        String captureId = capture(id);

        try (HeldTransaction first = database.hold(
                () -> pledges.recordCharge(id, captureId, TEN_POUNDS, "ch_1", "Visa ending 4242"))) {
            // The replay cannot see the first recording yet; the unique reference stops it all the same (it fails
            // at once or after waiting for the first transaction, which is still open).
            assertThatThrownBy(() -> database.inTransactionWaitingAtMost(LOCK_WAIT, () -> {
                pledges.recordCharge(id, captureId, TEN_POUNDS, "ch_1", "Visa ending 4242");
                return null;
            })).isInstanceOf(DataAccessException.class);
            first.commit();
        }

        assertThat(pledges.payments(id)).extracting(Payment::gatewayReference).containsExactly("ch_1");
        assertThat(paymentRows()).isOne();
    }

    // ------------------------------------------------------------------ locks

    @OnEachDatabase
    void aLockedPledgeMakesASecondLockWaitUntilTheFirstTransactionEnds() {
        long id = pledge();

        try (HeldTransaction first = database.hold(() -> assertThat(pledges.pledgeForUpdate(id)).isPresent())) {
            assertThatThrownBy(() -> database.inTransactionWaitingAtMost(LOCK_WAIT, () -> pledges.pledgeForUpdate(id)))
                    .matches(StoreDatabase::gaveUpWaitingForALock, "gave up waiting for the lock");
            // Reading without a lock does not wait.
            assertThat(pledges.pledge(id)).isPresent();
            // Another pledge is not locked.
            long other = pledge();
            assertThat(database.inTransactionWaitingAtMost(LOCK_WAIT, () -> pledges.pledgeForUpdate(other)))
                    .isPresent();
            first.commit();
        }

        assertThat(database.inTransactionWaitingAtMost(LOCK_WAIT, () -> pledges.pledgeForUpdate(id))).isPresent();
    }
}
