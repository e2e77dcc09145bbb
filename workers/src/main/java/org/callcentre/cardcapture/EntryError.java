package org.callcentre.cardcapture;

/**
 * Why the donor's keys were refused at a prompt; each has a spoken re-prompt in the message bundle.
 * {@link #SILENCE} is no refusal: the prompt timed out without a key, which is re-prompted without counting as a
 * failure, and after too many silent re-prompts in a row it is recorded as the reason the donor went back.
 */
public enum EntryError {
    NO_INPUT, NOT_A_CARD_NUMBER, NOT_AN_EXPIRY_DATE, CARD_EXPIRED, NOT_A_SECURITY_CODE, SILENCE
}
