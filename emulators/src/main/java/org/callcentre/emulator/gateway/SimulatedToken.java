package org.callcentre.emulator.gateway;

import java.time.Instant;

/**
 * A saved payment method ({@code pm_…}): one attached to a customer by a succeeded setup intent, or by a
 * succeeded payment intent with {@code setup_future_usage}. It can be charged off session. Holds no card number
 * or cvc.
 *
 * @param customer the customer it is attached to ({@code cus_…})
 */
public record SimulatedToken(String id, String brand, String last4, int expMonth, int expYear, Instant created,
                             String customer) {
}
