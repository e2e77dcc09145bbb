package org.callcentre.emulator.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Validates raw card data sent to create a payment method ({@code card[…]}, or inline on an intent as
 * {@code payment_method_data[card][…]}) and reduces it to what the simulator may keep: brand, last4, expiry,
 * a keyed fingerprint and the test-card behaviour. The number goes no further than {@link #check}; the security
 * code only as far as the payment method's first confirmation (see {@link Ledger}).
 */
final class CardCheck {

    /** The only card data the simulator keeps. */
    record SafeCard(String brand, String last4, int expMonth, int expYear, String fingerprint,
                    String funding, TestCards.Behaviour behaviour) {
        @Override
        public String toString() {
            return brand + " ****" + last4 + " " + expMonth + "/" + expYear;
        }
    }

    static final String PMD = "payment_method_data";

    private final byte[] fingerprintKey;

    CardCheck() {
        fingerprintKey = new byte[32];
        new SecureRandom().nextBytes(fingerprintKey);
    }

    /**
     * Checks the card sent inline on an intent ({@code payment_method_data[…]}), where the security code is
     * required. See {@link #check(FormParams, String, boolean, YearMonth)}.
     */
    SafeCard check(FormParams params, YearMonth now) {
        return check(params, PMD, true, now);
    }

    /**
     * Checks the card in {@code params}, whose keys start with {@code prefix} ({@code payment_method_data[card][number]},
     * or {@code card[number]} with an empty prefix). Missing fields → 400 parameter_missing; malformed or
     * expired card → 402 card_error (incorrect_number, invalid_expiry_month, invalid_expiry_year,
     * expired_card, incorrect_cvc). A card that passes is returned in its safe form; whether it is
     * declined is then up to its {@link TestCards.Behaviour}. The security code, when sent, is checked here and
     * read by the caller from the same parameters ({@link #securityCode}).
     */
    SafeCard check(FormParams params, String prefix, boolean securityCodeRequired, YearMonth now) {
        String typeKey = key(prefix, "type");
        String numberKey = key(prefix, "card[number]");
        String monthKey = key(prefix, "card[exp_month]");
        String yearKey = key(prefix, "card[exp_year]");
        String cvcKey = key(prefix, "card[cvc]");
        String type = params.nonBlank(typeKey);
        if (type == null) {
            throw ApiException.missing(typeKey);
        }
        if (!"card".equals(type)) {
            throw ApiException.invalid(typeKey, "Invalid " + typeKey + ": the simulator only supports 'card'.");
        }
        String rawNumber = params.nonBlank(numberKey);
        if (rawNumber == null) {
            throw ApiException.missing(numberKey);
        }
        String rawMonth = params.nonBlank(monthKey);
        if (rawMonth == null) {
            throw ApiException.missing(monthKey);
        }
        String rawYear = params.nonBlank(yearKey);
        if (rawYear == null) {
            throw ApiException.missing(yearKey);
        }
        String cvc = params.nonBlank(cvcKey);
        if (cvc == null && securityCodeRequired) {
            throw ApiException.missing(cvcKey);
        }

        String number = rawNumber.replace(" ", "");
        if (!number.chars().allMatch(c -> c >= '0' && c <= '9') || number.length() < 12 || number.length() > 19
                || !TestCards.luhnValid(number)) {
            throw cardError("incorrect_number", "Your card number is incorrect.", numberKey);
        }
        int month = parseInt(rawMonth);
        if (month < 1 || month > 12) {
            throw cardError("invalid_expiry_month", "Your card's expiration month is invalid.", monthKey);
        }
        int year = parseInt(rawYear);
        if (year >= 0 && rawYear.length() == 2) {
            year += 2000;
        } else if (rawYear.length() != 4) {
            year = -1;
        }
        if (year < 1000 || year > now.getYear() + 50) {
            throw cardError("invalid_expiry_year", "Your card's expiration year is invalid.", yearKey);
        }
        if (YearMonth.of(year, month).isBefore(now)) {
            throw cardError("expired_card", "Your card has expired.", yearKey);
        }
        int cvcLength = TestCards.isAmex(number) ? 4 : 3;
        if (cvc != null && (cvc.length() != cvcLength || !cvc.chars().allMatch(c -> c >= '0' && c <= '9'))) {
            throw cardError("incorrect_cvc", "Your card's security code is incorrect.", cvcKey);
        }
        TestCards.Behaviour behaviour = TestCards.behaviour(number);
        return new SafeCard(TestCards.brand(number), number.substring(number.length() - 4), month, year,
                fingerprint(number), behaviour.funding(), behaviour);
    }

    /** The security code sent with a card that {@link #check} accepted, or null. */
    static String securityCode(FormParams params, String prefix) {
        return params.nonBlank(key(prefix, "card[cvc]"));
    }

    private static String key(String prefix, String field) {
        if (prefix.isEmpty()) {
            return field;
        }
        int bracket = field.indexOf('[');
        return bracket < 0 ? prefix + "[" + field + "]"
                : prefix + "[" + field.substring(0, bracket) + "]" + field.substring(bracket);
    }

    private String fingerprint(String number) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(fingerprintKey, "HmacSHA256"));
            byte[] h = mac.doFinal(number.getBytes(StandardCharsets.US_ASCII));
            StringBuilder sb = new StringBuilder(16);
            for (int i = 0; i < 16; i++) {
                sb.append(Ids.ALPHABET.charAt((h[i] & 0xff) % Ids.ALPHABET.length()));
            }
            return sb.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static int parseInt(String s) {
        if (s.isEmpty() || s.length() > 4 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(s);
    }

    /** A 402 card_error. */
    static ApiException cardError(String code, String message, String param) {
        return cardError(code, null, message, param);
    }

    static ApiException cardError(String code, String declineCode, String message, String param) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        if (declineCode != null) {
            e.put("decline_code", declineCode);
        }
        e.put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
        e.put("message", message);
        if (param != null) {
            e.put("param", param);
        }
        e.put("type", "card_error");
        return new ApiException(402, e);
    }
}
