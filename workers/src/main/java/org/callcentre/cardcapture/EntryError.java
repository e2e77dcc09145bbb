package org.callcentre.cardcapture;

/** Why the donor's keys were refused at a prompt; each has a spoken re-prompt in the message bundle. */
public enum EntryError {
    NO_INPUT, NOT_A_CARD_NUMBER, NOT_AN_EXPIRY_DATE, CARD_EXPIRED, NOT_A_SECURITY_CODE
}
