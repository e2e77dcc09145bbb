package org.callcentre.pledge;

import java.time.Instant;

import org.callcentre.payment.Money;

/** A charge the gateway confirmed. {@code gatewayReference} is unique: the same charge is never recorded twice. */
public record Payment(long id, long pledgeId, String captureId, Money amount, String gatewayReference,
        String maskedCard, Instant createdAt) {
}
