package org.callcentre.cardcapture;

import java.time.YearMonth;

import org.callcentre.cardvault.CardBrand;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Entry;

/**
 * What the donor's key presses at a prompt amount to. {@code ##} is the way back to the agent: the first
 * {@code #} ends the gather with nothing entered (Twilio sends {@code FinishedOnKey=#} and empty
 * {@code Digits}); a gather that timed out has no key.
 */
public record DonorEntry(Entry entry, EntryError error) {

    static final DonorEntry ESCAPE = new DonorEntry(Entry.ESCAPE, null);
    static final DonorEntry VALID = new DonorEntry(Entry.VALID, null);

    static DonorEntry invalid(EntryError error) {
        return new DonorEntry(Entry.INVALID, error);
    }

    /** Keypad digits only: Twilio sends ASCII, and a forged webhook must not pass other Unicode digits. */
    static boolean isAsciiDigits(String digits) {
        return digits.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * The prompt timed out without a key: Twilio posts the empty result ({@code actionOnEmptyResult}) with no
     * finishing key. A lone {@code #} is the first half of the escape, not silence.
     */
    public static boolean isSilence(String digits, String finishedOnKey) {
        return (digits == null || digits.isEmpty()) && !"#".equals(finishedOnKey);
    }

    /** Common to every prompt: escape, or nothing at all. Null when there are digits to check. */
    static DonorEntry special(String digits, String finishedOnKey) {
        if (digits == null || digits.isEmpty()) {
            return "#".equals(finishedOnKey) ? ESCAPE : invalid(EntryError.NO_INPUT);
        }
        if (digits.startsWith("##") || digits.endsWith("##")) {
            return ESCAPE;
        }
        return null;
    }

    public static DonorEntry cardNumber(String digits, String finishedOnKey) {
        DonorEntry special = special(digits, finishedOnKey);
        if (special != null) {
            return special;
        }
        boolean ok = digits.length() >= 12 && digits.length() <= 19 && isAsciiDigits(digits)
                && CardBrand.passesLuhn(digits);
        return ok ? VALID : invalid(EntryError.NOT_A_CARD_NUMBER);
    }

    /** MMYY: a real month, this month or later. */
    public static DonorEntry expiry(String digits, String finishedOnKey, YearMonth now) {
        DonorEntry special = special(digits, finishedOnKey);
        if (special != null) {
            return special;
        }
        if (digits.length() != 4 || !isAsciiDigits(digits)) {
            return invalid(EntryError.NOT_AN_EXPIRY_DATE);
        }
        int month = Integer.parseInt(digits.substring(0, 2));
        if (month < 1 || month > 12) {
            return invalid(EntryError.NOT_AN_EXPIRY_DATE);
        }
        return expiryOf(digits).isBefore(now) ? invalid(EntryError.CARD_EXPIRED) : VALID;
    }

    /** The expiry a valid MMYY entry stands for; two-digit years are in this century. */
    public static YearMonth expiryOf(String mmyy) {
        return YearMonth.of(2000 + Integer.parseInt(mmyy.substring(2)), Integer.parseInt(mmyy.substring(0, 2)));
    }

    /** Three digits, four for American Express. */
    public static DonorEntry securityCode(String digits, String finishedOnKey, CardBrand brand) {
        DonorEntry special = special(digits, finishedOnKey);
        if (special != null) {
            return special;
        }
        boolean ok = digits.length() == brand.securityCodeLength() && isAsciiDigits(digits);
        return ok ? VALID : invalid(EntryError.NOT_A_SECURITY_CODE);
    }
}
