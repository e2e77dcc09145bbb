package org.callcentre.emulator.gateway;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One succeeded payment intent, as recorded by the simulator. Holds no card number or cvc: only
 * brand and last4.
 *
 * @param id              the payment intent id ({@code pi_…})
 * @param amount          minor units
 * @param currency        lowercase ISO code
 * @param brand           e.g. visa, mastercard, amex
 * @param last4           last four digits of the card
 * @param paymentMethodId the {@code pm_…} charged
 * @param idempotencyKey  the {@code Idempotency-Key} header of the request that created it, or null
 * @param metadata        the intent's metadata (sorted, unmodifiable)
 * @param created         creation time
 * @param moto            whether it was flagged MOTO ({@code payment_method_options[card][moto]=true})
 * @param offSession      whether it was charged without the cardholder ({@code off_session=true})
 * @param customer        the customer named on the intent ({@code cus_…}), or null
 */
public record SimulatedCharge(String id, long amount, String currency, String brand, String last4,
                              String paymentMethodId, String idempotencyKey, Map<String, String> metadata,
                              Instant created, boolean moto, boolean offSession, String customer) {
    public SimulatedCharge {
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
    }
}
