package org.callcentre.pledge;

import java.time.Instant;

import org.callcentre.payment.Money;

/**
 * A donor's promise to give. The card appears only masked; {@code tokenRef} is the gateway's reference to a
 * saved card, replaced only once a new card has succeeded.
 *
 * @param leadId the lead whose call the pledge was taken on, or null for a pledge taken without a call
 */
public record Pledge(long id, long campaignId, String donorName, String donorPhone, Money amount,
        Frequency frequency, String maskedCard, String tokenRef, boolean paid, Instant createdAt, Long leadId) {
}
