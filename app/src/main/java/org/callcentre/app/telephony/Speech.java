package org.callcentre.app.telephony;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Arrays;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.callcentre.payment.Money;

import com.twilio.twiml.voice.Say;

/**
 * An IVR's words in one locale, as Twilio {@code <Say>} verbs in that language: messages from {@link IvrMessages},
 * and amounts, dates and digits written the way a text-to-speech voice reads them well in that locale.
 */
public final class Speech {

    private final IvrMessages messages;
    private final Locale locale;
    private final Say.Language language;

    Speech(IvrMessages messages, Locale locale) {
        this.messages = messages;
        this.locale = locale;
        this.language = languageOf(locale);
    }

    public Locale locale() {
        return locale;
    }

    /** Twilio's voice language for the locale (en-GB, else the language alone), or null: Twilio's default. */
    public Say.Language language() {
        return language;
    }

    public String text(String key, Object... args) {
        return messages.text(locale, key, args);
    }

    public Optional<String> optionalText(String key, Object... args) {
        return messages.optionalText(locale, key, args);
    }

    public Say say(String key, Object... args) {
        return sayText(text(key, args));
    }

    /** The message as a Say, or empty when it is missing or blank. */
    public Optional<Say> optional(String key, Object... args) {
        return optionalText(key, args).map(this::sayText);
    }

    public Say sayText(String text) {
        Say.Builder say = new Say.Builder(text);
        if (language != null) {
            say.language(language);
        }
        return say.build();
    }

    /**
     * An amount as it is said: the number in the locale's digits (no fraction for a whole amount, so "20 pounds"
     * rather than "20.00 pounds") and the currency's spoken name ({@code currency.<code>} in the bundles, else the
     * JDK's display name in the locale): "12.50 pounds", "12,50 Euro".
     */
    public String amount(Money money) {
        return number(money.amount(), money.currency()) + " " + currency(money.currency());
    }

    /** The number of an amount in the locale's digits, without a fraction when it is whole. */
    public String number(BigDecimal amount, Currency currency) {
        NumberFormat number = NumberFormat.getNumberInstance(locale);
        int fraction = Math.max(currency.getDefaultFractionDigits(), 0);
        boolean whole = amount.stripTrailingZeros().scale() <= 0;
        number.setMinimumFractionDigits(whole ? 0 : fraction);
        number.setMaximumFractionDigits(fraction);
        return number.format(amount);
    }

    /** The currency's spoken name: "pounds", "Euro". */
    public String currency(Currency currency) {
        return optionalText("currency." + currency.getCurrencyCode()).orElse(currency.getDisplayName(locale));
    }

    /** A day as it is said: "6 December 2026", "6. Dezember 2026". */
    public String date(LocalDate date) {
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale).format(date);
    }

    /** A month, such as a card's expiry: "March 2027", "März 2027". */
    public String month(YearMonth month) {
        return DateTimeFormatter.ofPattern("LLLL yyyy", locale).format(month);
    }

    /**
     * Digits read one by one ("4 2 4 2"), not as a number ("four thousand two hundred..."): a voice reads digits
     * separated by spaces singly in every language. Anything but a digit is left out.
     */
    public static String digits(String digits) {
        return digits.chars().filter(Character::isDigit).mapToObj(c -> String.valueOf((char) c))
                .collect(Collectors.joining(" "));
    }

    private static Say.Language languageOf(Locale locale) {
        return Arrays.stream(Say.Language.values())
                .filter(l -> l.toString().equalsIgnoreCase(locale.toLanguageTag()))
                .findFirst()
                .orElseGet(() -> Arrays.stream(Say.Language.values())
                        .filter(l -> l.toString().equalsIgnoreCase(locale.getLanguage()))
                        .findFirst().orElse(null));
    }
}
