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
 * It runs on every log line: a plain scan of the text decides whether any pattern need run, and the patterns are
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
    private static final String CARD_NUMBER = "(?<![\\w+-])[0-9](?:[ -]?[0-9]){11,18}(?![\\w]|-\\w)";

    private static final Pattern CARD_DATA = Pattern.compile("(?:(?<=%5B)|(?<!\\w))(?:" + FIELD + ")" + SEPARATOR
            + "(?<value>" + KEYS + ")|(?<number>" + CARD_NUMBER + ")", Pattern.CASE_INSENSITIVE);

    /** Spring's {@code InvocableHandlerMethod} at TRACE: {@code "Arguments: " + Arrays.toString(args)}. */
    private static final String HANDLER_ARGUMENTS = "Arguments: [";
    /** An argument of keypad keys with at least 3 digits: shorter is no card data (a step, a small id). */
    private static final Pattern KEYPAD_ARGUMENT = Pattern.compile("(?<=\\[|, )(?=(?:[#*]*[0-9]){3})[0-9#*]+(?=, |]$)");

    private CardDataMask() {
    }

    /** The text with card data masked; the same instance when there is nothing to mask. */
    public static String mask(String text) {
        if (text == null || !mayHoldCardData(text)) {
            return text;
        }
        String masked = maskMatches(CARD_DATA.matcher(text), text, true);
        if (masked.startsWith(HANDLER_ARGUMENTS)) {
            masked = maskMatches(KEYPAD_ARGUMENT.matcher(masked), masked, false);
        }
        return masked;
    }

    /** Replaces the digits of each match (of only its {@code value} group, where a field was named) with {@code *}. */
    private static String maskMatches(Matcher matcher, String text, boolean named) {
        StringBuilder out = null;
        int copied = 0;
        while (matcher.find()) {
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            int start = matcher.start();
            int end = matcher.end();
            if (named && matcher.start("value") >= 0) {
                start = matcher.start("value");
            }
            out.append(text, copied, start);
            for (int i = start; i < end; i++) {
                char c = text.charAt(i);
                out.append(c >= '0' && c <= '9' ? '*' : c);
            }
            copied = end;
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /**
     * A quick look before any regular expression runs: card data needs a digit, and then either a run of 12 digits
     * or more (single spaces or hyphens between them) or the start of a field's name. Most lines have neither.
     */
    private static boolean mayHoldCardData(String text) {
        int digits = 0;
        int run = 0;
        boolean separated = false;
        boolean named = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                if (++run >= 12) {
                    return true;
                }
                separated = false;
            } else if ((c == ' ' || c == '-') && run > 0 && !separated) {
                separated = true;
            } else {
                run = 0;
                separated = false;
                named = named || startsFieldName(text, i);
            }
        }
        return digits > 0 && (named || text.startsWith(HANDLER_ARGUMENTS));
    }

    private static boolean startsFieldName(String text, int i) {
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
}
