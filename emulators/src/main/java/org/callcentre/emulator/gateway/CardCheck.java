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
 * Validates raw card data sent as {@code payment_method_data[card][…]} and reduces it to what the
 * simulator may keep: brand, last4, expiry, a keyed fingerprint and the test-card behaviour. The
 * number and cvc go no further than {@link #check}.
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
    static final String NUMBER = PMD + "[card][number]";
    static final String EXP_MONTH = PMD + "[card][exp_month]";
    static final String EXP_YEAR = PMD + "[card][exp_year]";
    static final String CVC = PMD + "[card][cvc]";
    static final String TYPE = PMD + "[type]";

    private final byte[] fingerprintKey;

    CardCheck() {
        fingerprintKey = new byte[32];
        new SecureRandom().nextBytes(fingerprintKey);
    }

    /**
     * Checks the card in {@code params}. Missing fields → 400 parameter_missing; malformed or
     * expired card → 402 card_error (incorrect_number, invalid_expiry_month, invalid_expiry_year,
     * expired_card, incorrect_cvc). A card that passes is returned in its safe form; whether it is
     * declined is then up to its {@link TestCards.Behaviour}.
     */
    SafeCard check(FormParams params, YearMonth now) {
        String type = params.nonBlank(TYPE);
        if (type == null) {
            throw ApiException.missing(TYPE);
        }
        if (!"card".equals(type)) {
            throw ApiException.invalid(TYPE, "Invalid payment_method_data[type]: the simulator only supports 'card'.");
        }
        String rawNumber = params.nonBlank(NUMBER);
        if (rawNumber == null) {
            throw ApiException.missing(NUMBER);
        }
        String rawMonth = params.nonBlank(EXP_MONTH);
        if (rawMonth == null) {
            throw ApiException.missing(EXP_MONTH);
        }
        String rawYear = params.nonBlank(EXP_YEAR);
        if (rawYear == null) {
            throw ApiException.missing(EXP_YEAR);
        }
        String cvc = params.nonBlank(CVC);
        if (cvc == null) {
            throw ApiException.missing(CVC);
        }

        String number = rawNumber.replace(" ", "");
        if (!number.chars().allMatch(c -> c >= '0' && c <= '9') || number.length() < 12 || number.length() > 19
                || !TestCards.luhnValid(number)) {
            throw cardError("incorrect_number", "Your card number is incorrect.", NUMBER);
        }
        int month = parseInt(rawMonth);
        if (month < 1 || month > 12) {
            throw cardError("invalid_expiry_month", "Your card's expiration month is invalid.", EXP_MONTH);
        }
        int year = parseInt(rawYear);
        if (year >= 0 && rawYear.length() == 2) {
            year += 2000;
        } else if (rawYear.length() != 4) {
            year = -1;
        }
        if (year < 1000 || year > now.getYear() + 50) {
            throw cardError("invalid_expiry_year", "Your card's expiration year is invalid.", EXP_YEAR);
        }
        if (YearMonth.of(year, month).isBefore(now)) {
            throw cardError("expired_card", "Your card has expired.", EXP_YEAR);
        }
        int cvcLength = TestCards.isAmex(number) ? 4 : 3;
        if (cvc.length() != cvcLength || !cvc.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw cardError("incorrect_cvc", "Your card's security code is incorrect.", CVC);
        }
        TestCards.Behaviour behaviour = TestCards.behaviour(number);
        return new SafeCard(TestCards.brand(number), number.substring(number.length() - 4), month, year,
                fingerprint(number), behaviour.funding(), behaviour);
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
