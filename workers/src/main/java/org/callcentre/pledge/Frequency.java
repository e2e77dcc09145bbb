package org.callcentre.pledge;

/** How often a pledge is paid. */
public enum Frequency {
    ONE_OFF, WEEKLY, FORTNIGHTLY, MONTHLY, QUARTERLY, ANNUALLY;

    public boolean isRecurring() {
        return this != ONE_OFF;
    }
}
