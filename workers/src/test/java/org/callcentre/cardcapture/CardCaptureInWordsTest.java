package org.callcentre.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Currency;
import java.util.Locale;

import org.callcentre.campaign.Campaign;
import org.callcentre.cardcapture.DonorStep.Kind;
import org.callcentre.cardvault.CardBrand;
import org.callcentre.payment.DeclineReason;
import org.callcentre.payment.Money;
import org.callcentre.pledge.Frequency;
import org.callcentre.pledge.Pledge;
import org.callcentre.pledge.PledgeBook.PledgeInCampaign;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What an agent reads about a capture and its pledge, for every outcome the capture's row can hold. */
class CardCaptureInWordsTest {

    static final Currency GBP = Currency.getInstance("GBP");
    static final Money TWENTY_FIVE_POUNDS = Money.of(new BigDecimal("25"), GBP);
    static final String VISA = "Visa ending 4242";

    @Test
    void whomAndWhatAPledgeIsAbout() {
        Campaign uk = campaign(GBP, Locale.UK);
        assertThat(CardCaptureInWords.donorAndPledge(pledge("Jane Donor", TWENTY_FIVE_POUNDS, Frequency.MONTHLY), uk))
                .isEqualTo("Jane Donor, £25.00 monthly");
        assertThat(CardCaptureInWords.terms(pledge("Jane Donor", Money.of(new BigDecimal("10.5"), GBP),
                Frequency.ONE_OFF), uk)).isEqualTo("£10.50 one-off");
        Currency euro = Currency.getInstance("EUR");
        assertThat(CardCaptureInWords.terms(pledge("Erika Spenderin", Money.of(new BigDecimal("1234.5"), euro),
                Frequency.ANNUALLY), campaign(euro, Locale.GERMANY))).isEqualTo("1.234,50\u00a0€ annually");
        Currency yen = Currency.getInstance("JPY");
        assertThat(CardCaptureInWords.amount(Money.of(new BigDecimal("500"), yen), Locale.JAPAN)).isEqualTo("￥500");
    }

    @ParameterizedTest
    @EnumSource(Frequency.class)
    void everyFrequencyHasItsWord(Frequency frequency) {
        assertThat(CardCaptureInWords.frequency(frequency)).matches("[a-z-]+").doesNotContain("_");
    }

    @Test
    void aVeryLongDonorNameIsShortenedSoTheTaskNameFits() {
        Pledge pledge = pledge("A".repeat(200), TWENTY_FIVE_POUNDS, Frequency.FORTNIGHTLY);
        String name = CardCaptureTaskNames.name("Card capture in progress",
                new PledgeInCampaign(pledge, campaign(GBP, Locale.UK)));
        assertThat(name).endsWith("…, £25.00 fortnightly").hasSizeLessThan(255);
        assertThat(CardCaptureInWords.donor(pledge)).hasSize(CardCaptureInWords.MAX_DONOR_NAME);
    }

    @Test
    void aTaskIsNamedAfterTheDonorAndThePledge() {
        PledgeInCampaign pledge = new PledgeInCampaign(pledge("Jane Donor", TWENTY_FIVE_POUNDS, Frequency.MONTHLY),
                campaign(GBP, Locale.UK));
        assertThat(CardCaptureTaskNames.name("Card capture in progress", pledge))
                .isEqualTo("Card capture in progress: Jane Donor, £25.00 monthly");
        assertThat(CardCaptureTaskNames.name("Tokenise the card with the donor", pledge))
                .isEqualTo("Tokenise the card with Jane Donor: £25.00 monthly");
    }

    @Test
    void paidSavedAndNotSaved() {
        assertThat(words(succeeded(PaymentPath.CHARGE_ONLY, null), null)).isEqualTo("Paid: Visa ending 4242");
        assertThat(words(succeeded(PaymentPath.CHARGE_THEN_TOKENISE, "pm_1"), null))
                .isEqualTo("Paid: Visa ending 4242, saved for later payments");
        assertThat(words(succeeded(PaymentPath.TOKENISE_THEN_CHARGE, "tok_1"), null))
                .isEqualTo("Paid: Visa ending 4242, saved for later payments");
        assertThat(words(succeeded(PaymentPath.TOKENISE_ONLY, "tok_1"), null))
                .isEqualTo("Card saved for later payments: Visa ending 4242");
        assertThat(words(succeeded(PaymentPath.CHARGE_THEN_TOKENISE, null), null))
                .isEqualTo("Paid: Visa ending 4242, but the card could not be saved for later payments: an agent admin "
                        + "arranges it with the donor");
    }

    @Test
    void declinedWithTheReason() {
        assertThat(words(capture(Outcome.DECLINED).declined(2, DeclineReason.INSUFFICIENT_FUNDS).build(), null))
                .isEqualTo("The card was declined: insufficient funds");
        assertThat(words(capture(Outcome.DECLINED).declined(1, null).build(), null))
                .isEqualTo("The card was declined");
    }

    @ParameterizedTest
    @EnumSource(DeclineReason.class)
    void everyDeclineReasonHasItsWords(DeclineReason reason) {
        assertThat(CardCaptureInWords.reason(reason)).isNotBlank().doesNotContain("_")
                .doesNotContainIgnoringCase(reason.name());
    }

    @Test
    void theDonorCameBackWithoutPaying() {
        String back = "The donor came back to you without paying: ";
        assertThat(words(capture(Outcome.RETURNED_TO_AGENT).build(), Kind.CARD_NUMBER))
                .isEqualTo(back + "they pressed ## during the card number");
        assertThat(words(capture(Outcome.RETURNED_TO_AGENT).card(VISA).build(), Kind.EXPIRY))
                .isEqualTo(back + "they pressed ## during the expiry date");
        assertThat(words(capture(Outcome.RETURNED_TO_AGENT).entry(0, EntryError.SILENCE).build(), Kind.SECURITY_CODE))
                .isEqualTo(back + "they entered nothing during the security code");
        assertThat(words(capture(Outcome.RETURNED_TO_AGENT).entry(3, EntryError.NOT_A_CARD_NUMBER).build(),
                Kind.CARD_NUMBER)).isEqualTo(back + "they entered the card number wrongly three times");
        assertThat(words(capture(Outcome.RETURNED_TO_AGENT).entry(3, EntryError.CARD_EXPIRED).build(), Kind.EXPIRY))
                .isEqualTo(back + "they entered the expiry date wrongly three times (the card has expired)");
        assertThat(words(capture(Outcome.RETURNED_TO_AGENT).build(), null))
                .isEqualTo(back + "they pressed ## during the card details");
    }

    @Test
    void whileTheCaptureRuns() {
        assertThat(words(capture(Outcome.IN_PROGRESS).build(), null))
                .isEqualTo("The donor is entering their card details");
        assertThat(words(capture(Outcome.IN_PROGRESS).card(VISA).build(), Kind.CARD_NUMBER))
                .isEqualTo("The donor is entering their card details");
        assertThat(words(capture(Outcome.IN_PROGRESS).declined(1, DeclineReason.EXPIRED_CARD).build(),
                Kind.SECURITY_CODE))
                .isEqualTo("The card was declined: the card has expired. The donor is entering another card");
        assertThat(words(capture(Outcome.IN_PROGRESS).card(VISA).build(), Kind.SECURITY_CODE))
                .isEqualTo("The payment is being processed: Visa ending 4242");
    }

    @Test
    void endsWithoutAPayment() {
        assertThat(words(capture(Outcome.CANCELLED_BY_AGENT).build(), null))
                .isEqualTo("You brought the donor back before the card was taken: nothing was charged");
        assertThat(words(capture(Outcome.ABANDONED).build(), null))
                .isEqualTo("The call ended before the card was taken: nothing was charged");
        assertThat(words(capture(Outcome.FAILED).build(), null))
                .isEqualTo("The payment gateway could not be reached: nothing was charged");
        assertThat(words(capture(Outcome.UNKNOWN).card(VISA).build(), null))
                .startsWith("The payment is not confirmed yet");
    }

    /** No outcome is told as its code, whatever else the row holds. */
    @ParameterizedTest
    @EnumSource(Outcome.class)
    void noOutcomeIsToldAsItsCode(Outcome outcome) {
        String text = words(capture(outcome).card(VISA).build(), Kind.EXPIRY);
        assertThat(text).isNotBlank();
        Arrays.stream(Outcome.values()).forEach(code -> assertThat(text).doesNotContain(code.name()));
        Arrays.stream(EntryError.values()).forEach(code -> assertThat(text).doesNotContain(code.name()));
    }

    private static String words(CardCapture capture, Kind lastPrompt) {
        return CardCaptureInWords.outcome(capture, lastPrompt);
    }

    private static CardCapture succeeded(PaymentPath path, String newToken) {
        return capture(Outcome.SUCCEEDED).card(VISA).path(path).token(newToken).build();
    }

    private static Pledge pledge(String donor, Money amount, Frequency frequency) {
        return new Pledge(7, 1, donor, "+447700900123", amount, frequency, null, null, false, Instant.EPOCH, 3L);
    }

    private static Campaign campaign(Currency currency, Locale locale) {
        return new Campaign(1, "Winter appeal", currency, locale, true, true, true, false);
    }

    static Row capture(Outcome status) {
        return new Row(status);
    }

    /** A capture's row with only what the words read set. */
    static final class Row {
        private final Outcome status;
        private int failures;
        private EntryError error;
        private int declines;
        private DeclineReason reason;
        private String maskedCard;
        private String newToken;
        private PaymentPath path = PaymentPath.CHARGE_ONLY;

        Row(Outcome status) {
            this.status = status;
        }

        Row entry(int failures, EntryError error) {
            this.failures = failures;
            this.error = error;
            return this;
        }

        Row declined(int declines, DeclineReason reason) {
            this.declines = declines;
            this.reason = reason;
            return this;
        }

        Row card(String maskedCard) {
            this.maskedCard = maskedCard;
            return this;
        }

        Row token(String newToken) {
            this.newToken = newToken;
            return this;
        }

        Row path(PaymentPath path) {
            this.path = path;
            return this;
        }

        CardCapture build() {
            return new CardCapture("c1", 7, "pi-1", "CA1", "conference-1", "agent-1", status, 4, failures, error,
                    declines, reason, maskedCard == null ? null : CardBrand.VISA, maskedCard, newToken, false, false,
                    Instant.EPOCH, null, path, TWENTY_FIVE_POUNDS, null, null, 0);
        }
    }
}
