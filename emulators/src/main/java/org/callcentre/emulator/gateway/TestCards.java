package org.callcentre.emulator.gateway;

import java.util.Map;

/**
 * Stripe's published test card numbers and what they do in test mode.
 *
 * <p>The brief's cards first (4242…, 5555…4444, 3782…0005 succeed; 4000…0002 generic decline;
 * 4000…9995 insufficient funds), then a few more of Stripe's published cards that are cheap to
 * support, including the two 3-D Secure cards ({@code 4000002760003184} always asks for authentication,
 * {@code 4000002500003155} unless the card was set up for later payments). Any other number that passes the Luhn check is treated as a live card used in test mode
 * and declined with {@code test_mode_live_card}, as Stripe does.
 */
final class TestCards {

    /** A decline: HTTP 402, {@code type=card_error}. {@code declineCode} may be null. */
    record Decline(String code, String declineCode, String message) {
    }

    /** When a card's issuer asks for 3-D Secure, if the transaction is not flagged MOTO. */
    enum Authentication {
        /** Never. */
        NONE,
        /** On every charge and setup, on or off session ({@code 4000002760003184}). */
        ALWAYS,
        /**
         * On one-off (on-session) charges; a setup and the off-session charges of a card saved to a customer go
         * through without it ({@code 4000002500003155}).
         */
        UNLESS_SET_UP
    }

    /**
     * How a card behaves when it is saved (setup intent) and when it is charged. A null decline
     * means success. {@code funding} is reported on the payment method object.
     */
    record Behaviour(Decline onSetup, Decline onCharge, String funding, Authentication authentication) {
        Behaviour(Decline onSetup, Decline onCharge, String funding) {
            this(onSetup, onCharge, funding, Authentication.NONE);
        }
    }

    static final Decline GENERIC_DECLINE = new Decline("card_declined", "generic_decline", "Your card was declined.");
    static final Decline INSUFFICIENT_FUNDS =
            new Decline("card_declined", "insufficient_funds", "Your card has insufficient funds.");
    static final Decline LOST_CARD = new Decline("card_declined", "lost_card", "Your card was declined.");
    static final Decline STOLEN_CARD = new Decline("card_declined", "stolen_card", "Your card was declined.");
    static final Decline EXPIRED_CARD_DECLINE = new Decline("expired_card", "expired_card", "Your card has expired.");
    static final Decline INCORRECT_CVC_DECLINE =
            new Decline("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect.");
    static final Decline PROCESSING_ERROR = new Decline("processing_error", "processing_error",
            "An error occurred while processing your card. Try again in a little bit.");
    static final Decline TEST_MODE_LIVE_CARD = new Decline("card_declined", "test_mode_live_card",
            "Your card was declined. Your request was in test mode, but used a non test (live) card. "
                    + "For a list of valid test cards, visit: https://stripe.com/docs/testing.");

    private static final Behaviour SUCCEEDS_CREDIT = new Behaviour(null, null, "credit");
    private static final Behaviour SUCCEEDS_DEBIT = new Behaviour(null, null, "debit");

    private static Behaviour declines(Decline d) {
        return new Behaviour(d, d, "credit");
    }

    private static final Map<String, Behaviour> CARDS = Map.ofEntries(
            // Succeed
            Map.entry("4242424242424242", SUCCEEDS_CREDIT),   // Visa
            Map.entry("4000056655665556", SUCCEEDS_DEBIT),    // Visa (debit)
            Map.entry("5555555555554444", SUCCEEDS_CREDIT),   // Mastercard
            Map.entry("2223003122003222", SUCCEEDS_CREDIT),   // Mastercard (2-series)
            Map.entry("5200828282828210", SUCCEEDS_DEBIT),    // Mastercard (debit)
            Map.entry("378282246310005", SUCCEEDS_CREDIT),    // American Express
            Map.entry("371449635398431", SUCCEEDS_CREDIT),    // American Express
            Map.entry("6011111111111117", SUCCEEDS_CREDIT),   // Discover
            Map.entry("3056930009020004", SUCCEEDS_CREDIT),   // Diners Club
            Map.entry("3566002020360505", SUCCEEDS_CREDIT),   // JCB
            // Decline on both tokenise and charge (never saved)
            Map.entry("4000000000000002", declines(GENERIC_DECLINE)),
            Map.entry("4000000000009995", declines(INSUFFICIENT_FUNDS)),
            Map.entry("4000000000009987", declines(LOST_CARD)),
            Map.entry("4000000000009979", declines(STOLEN_CARD)),
            Map.entry("4000000000000069", declines(EXPIRED_CARD_DECLINE)),
            Map.entry("4000000000000127", declines(INCORRECT_CVC_DECLINE)),
            Map.entry("4000000000000119", declines(PROCESSING_ERROR)),
            // Saving succeeds, every later charge is declined (Stripe: "attaching succeeds, charges fail")
            Map.entry("4000000000000341", new Behaviour(null, GENERIC_DECLINE, "credit")),
            // 3-D Secure (Stripe's regulatory test cards); a MOTO-flagged transaction is out of scope of it
            Map.entry("4000002760003184", new Behaviour(null, null, "credit", Authentication.ALWAYS)),
            Map.entry("4000002500003155", new Behaviour(null, null, "credit", Authentication.UNLESS_SET_UP)));

    private TestCards() {
    }

    /** The behaviour of a Luhn-valid number: a listed test card, or a live card used in test mode. */
    static Behaviour behaviour(String number) {
        Behaviour b = CARDS.get(number);
        return b != null ? b : declines(TEST_MODE_LIVE_CARD);
    }

    static Iterable<String> knownNumbers() {
        return CARDS.keySet();
    }

    /** Card brand by IIN prefix, in Stripe's spelling. */
    static String brand(String number) {
        if (number.startsWith("4")) {
            return "visa";
        }
        if (number.startsWith("34") || number.startsWith("37")) {
            return "amex";
        }
        int p2 = prefix(number, 2);
        int p4 = prefix(number, 4);
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return "mastercard";
        }
        int p3 = prefix(number, 3);
        if (number.startsWith("6011") || number.startsWith("65") || (p3 >= 644 && p3 <= 649)) {
            return "discover";
        }
        if (number.startsWith("36") || number.startsWith("38") || number.startsWith("39") || (p3 >= 300 && p3 <= 305)) {
            return "diners";
        }
        if (p4 >= 3528 && p4 <= 3589) {
            return "jcb";
        }
        if (number.startsWith("62")) {
            return "unionpay";
        }
        return "unknown";
    }

    static boolean isAmex(String number) {
        return number.startsWith("34") || number.startsWith("37");
    }

    static boolean luhnValid(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    private static int prefix(String number, int len) {
        if (number.length() < len) {
            return -1;
        }
        try {
            return Integer.parseInt(number.substring(0, len));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
