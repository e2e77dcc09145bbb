package org.callcentre.app.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks card data in text that is about to be logged (PCI DSS 3.3.1, 3.5.1), whatever level the logger runs at.
 * Raised levels print request parameters and handler arguments (Spring's web loggers at TRACE) and parameters that
 * could not be decoded (Tomcat's at DEBUG), so the donor's keypad entries reach log lines that no code of ours
 * writes. Every digit of these becomes {@code *}; everything else is kept, so
 * a masked line still says what happened:
 * <ul>
 * <li>a run of 12 to 19 digits that stands on its own, with single spaces or hyphens allowed between groups: it
 * could be a card number, whatever it is called. A run joined to a letter, an underscore, a {@code +} (a phone
 * number) or to a group of a hyphenated id (a UUID) is not one;</li>
 * <li>the value of a field that carries card data: Twilio's {@code Digits}, a card number, an expiry and a security
 * code, in form ({@code Digits=737}), JSON ({@code "cvc":"737"}), Java {@code toString} ({@code Digits: [737]},
 * {@code card[exp_year]=[2030]}) and URL-encoded ({@code card%5Bcvc%5D=737}) shapes;</li>
 * <li>every argument made of keypad keys only, with three digits or more, in Spring's {@code Arguments: [...]}
 * trace line, which prints a handler's arguments without their names.</li>
 * </ul>
 * It runs on every log line: one plain pass over the text decides where a pattern need run, and the patterns are
 * compiled once.
 */
public final class CardDataMask {

    /**
     * Names of fields that carry card data; a name inside brackets ({@code card[cvc]}, also URL-encoded) or after a
     * dot counts too.
     */
    private static final String FIELD = "(?:unprocessed_?)?digits"
            + "|card_?(?:number|num|no)|card(?:\\[|%5B|\\.)number|pan"
            + "|(?:card_?)?(?:cvc2?|cvv2?|csc|security_?code)|card_?code"
            + "|(?:card_?)?(?:exp(?:iry|iration)?_?(?:month|year|date)|expiry|expiration)";
    /**
     * What stands between a field's name and its value: {@code =} or {@code :} with brackets and quotes, or Tomcat's
     * {@code Parameter [Digits] with value [737]} (a parameter it could not decode, logged at DEBUG).
     */
    private static final String SEPARATOR = "(?:(?:\\]|%5D)?\\\\?[\"']?\\s*(?:=|:|%3D)\\s*[\\[{]?\\s*\\\\?[\"']?"
            + "|\\] with value \\[)";
    /** A value as keyed on a phone: digits, {@code #} and {@code *}; an expiry may carry a slash or hyphen. */
    private static final String KEYS = "[0-9#*]+(?:[ /-][0-9#*]+)*";

    /** Tried only where a field's name starts, so the text is not searched with it at every position. */
    private static final Pattern FIELD_VALUE = Pattern.compile("(?:" + FIELD + ")" + SEPARATOR + "(" + KEYS + ")",
            Pattern.CASE_INSENSITIVE);
    /** The first digit comes first, then the look at what stands before it: cheaper than the other way round. */
    private static final Pattern CARD_NUMBER =
            Pattern.compile("[0-9](?<![\\w+-][0-9])(?:[ -]?[0-9]){11,18}(?!\\w|-\\w)");

    /** Spring's {@code InvocableHandlerMethod} at TRACE: {@code "Arguments: " + Arrays.toString(args)}. */
    private static final String HANDLER_ARGUMENTS = "Arguments: [";
    /** An argument of keypad keys with at least 3 digits: shorter is no card data (a step, a small id). */
    private static final Pattern KEYPAD_ARGUMENT = Pattern.compile("(?<=\\[|, )(?=(?:[#*]*[0-9]){3})[0-9#*]+(?=, |]$)");

    private CardDataMask() {
    }

    /**
     * The text with card data masked; the same instance when there is nothing to mask. One plain pass finds where a
     * field's name starts and whether a run of digits is long enough to be a card number; a pattern runs only there.
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        char[] masked = null;
        Matcher field = null;
        int run = 0;
        boolean separated = false;
        boolean longRun = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                longRun |= ++run >= 12;
                separated = false;
            } else if ((c == ' ' || c == '-') && run > 0 && !separated) {
                separated = true;
            } else {
                run = 0;
                separated = false;
                if (startsFieldName(text, i)) {
                    field = field == null ? FIELD_VALUE.matcher(text) : field;
                    if (field.region(i, n).lookingAt()) {
                        masked = star(masked, text, field.start(1), field.end(1));
                    }
                }
            }
        }
        if (longRun) {
            Matcher number = CARD_NUMBER.matcher(text);
            while (number.find()) {
                masked = star(masked, text, number.start(), number.end());
            }
        }
        if (text.startsWith(HANDLER_ARGUMENTS)) {
            Matcher argument = KEYPAD_ARGUMENT.matcher(text);
            while (argument.find()) {
                masked = star(masked, text, argument.start(), argument.end());
            }
        }
        return masked == null ? text : new String(masked);
    }

    /** Every digit from {@code start} to {@code end} becomes {@code *}, in a copy of the text made on first use. */
    private static char[] star(char[] masked, String text, int start, int end) {
        char[] out = masked == null ? text.toCharArray() : masked;
        for (int i = start; i < end; i++) {
            if (isDigit(out[i])) {
                out[i] = '*';
            }
        }
        return out;
    }

    /**
     * Whether a field's name may start here: one of the names' first letters, not inside a word (but inside a
     * URL-encoded bracket, {@code card%5Bcvc%5D}).
     */
    private static boolean startsFieldName(String text, int i) {
        if (i > 0 && isWordChar(text.charAt(i - 1)) && !(i >= 3 && text.regionMatches(true, i - 3, "%5B", 0, 3))) {
            return false;
        }
        switch (text.charAt(i)) {
            case 'd', 'D', 'u', 'U':
                return text.regionMatches(true, i, "digits", 0, 6) || text.regionMatches(true, i, "unprocessed", 0, 11);
            case 'c', 'C':
                return text.regionMatches(true, i, "card", 0, 4) || text.regionMatches(true, i, "cvc", 0, 3)
                        || text.regionMatches(true, i, "cvv", 0, 3) || text.regionMatches(true, i, "csc", 0, 3);
            case 'p', 'P':
                return text.regionMatches(true, i, "pan", 0, 3);
            case 's', 'S':
                return text.regionMatches(true, i, "security", 0, 8);
            case 'e', 'E':
                return text.regionMatches(true, i, "exp", 0, 3);
            default:
                return false;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordChar(char c) {
        return isDigit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
