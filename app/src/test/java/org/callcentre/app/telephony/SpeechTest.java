package org.callcentre.app.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Currency;
import java.util.Locale;

import org.callcentre.payment.Money;
import org.junit.jupiter.api.Test;

import com.twilio.twiml.voice.Say;

/**
 * The IVR's shared words: amounts, dates and digits as a voice reads them, and the bundle lookup, in English and
 * German.
 */
class SpeechTest {

    private static final Locale GERMAN = Locale.GERMANY;
    private static final Locale BRITISH = Locale.UK;

    private final IvrMessages messages = new IvrMessages("i18n/card-capture");

    @Test
    void anAmountIsTheNumberInTheLocalesDigitsAndTheCurrencysSpokenName() {
        assertThat(messages.in(BRITISH).amount(money("20", "GBP"))).isEqualTo("20 pounds");
        assertThat(messages.in(BRITISH).amount(money("12.5", "GBP"))).isEqualTo("12.50 pounds");
        assertThat(messages.in(BRITISH).amount(money("1234.56", "EUR"))).isEqualTo("1,234.56 euros");
        assertThat(messages.in(GERMAN).amount(money("12.5", "EUR"))).isEqualTo("12,50 Euro");
        assertThat(messages.in(GERMAN).amount(money("1234", "GBP"))).isEqualTo("1.234 Pfund");
    }

    @Test
    void aCurrencyWithoutAWordInTheBundlesIsCalledByItsNameInTheLocale() {
        assertThat(messages.in(BRITISH).currency(Currency.getInstance("CHF"))).isEqualTo("Swiss Franc");
        assertThat(messages.in(GERMAN).currency(Currency.getInstance("CHF"))).isEqualTo("Schweizer Franken");
        // No German word for Australian dollars in the bundle: the shared bundle's default (English) file answers.
        assertThat(messages.in(GERMAN).currency(Currency.getInstance("AUD"))).isEqualTo("Australian dollars");
    }

    @Test
    void datesAndCardExpiriesAreSaidInTheLocale() {
        assertThat(messages.in(BRITISH).date(LocalDate.of(2026, 12, 6))).isEqualTo("6 December 2026");
        assertThat(messages.in(GERMAN).date(LocalDate.of(2026, 12, 6))).isEqualTo("6. Dezember 2026");
        assertThat(messages.in(BRITISH).month(YearMonth.of(2027, 3))).isEqualTo("March 2027");
        assertThat(messages.in(GERMAN).month(YearMonth.of(2027, 3))).isEqualTo("März 2027");
    }

    @Test
    void digitsAreReadOneByOne() {
        assertThat(Speech.digits("4242")).isEqualTo("4 2 4 2");
        assertThat(Speech.digits("07 700-900")).isEqualTo("0 7 7 0 0 9 0 0");
        assertThat(Speech.digits("")).isEmpty();
    }

    @Test
    void messagesComeFromTheLocalesBundleWithTheDefaultFileAsFallback() {
        assertThat(messages.in(GERMAN).text("return.toAgent")).isEqualTo("Wir verbinden Sie jetzt wieder mit Ihrem "
                + "Gesprächspartner.");
        assertThat(messages.in(BRITISH).text("return.toAgent")).isEqualTo("Returning you to your agent now.");
        // A locale without a file of its own, and a key the German file lacks, fall back to the default file.
        assertThat(messages.in(Locale.FRANCE).text("return.toAgent")).isEqualTo("Returning you to your agent now.");
        assertThat(messages.in(GERMAN).optionalText("currency.NZD")).contains("New Zealand dollars");
        // Blank and missing messages are nothing to say.
        assertThat(messages.in(BRITISH).optional("outcome.ABANDONED")).isEmpty();
        assertThat(messages.in(BRITISH).optionalText("no.such.key")).isEmpty();
        assertThat(messages.in(BRITISH).text("prompt.securityCode", 4)).contains("4 digit security code");
    }

    @Test
    void aSayIsInTheLocalesVoiceLanguage() {
        assertThat(messages.in(GERMAN).language()).isEqualTo(Say.Language.DE_DE);
        assertThat(messages.in(BRITISH).language()).isEqualTo(Say.Language.EN_GB);
        assertThat(messages.in(GERMAN).say("return.toAgent").toXml()).contains("language=\"de-DE\"");
    }

    private static Money money(String amount, String currency) {
        return Money.of(new BigDecimal(amount), Currency.getInstance(currency));
    }
}
