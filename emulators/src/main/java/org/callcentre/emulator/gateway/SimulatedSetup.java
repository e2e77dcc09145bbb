package org.callcentre.emulator.gateway;

import java.time.Instant;

/**
 * One setup intent, whatever its outcome, as recorded by the simulator.
 *
 * @param id              the setup intent id ({@code seti_…})
 * @param status          {@code succeeded}, {@code requires_action} or {@code requires_payment_method}
 * @param paymentMethodId the {@code pm_…} it set up
 * @param customer        the customer named on it ({@code cus_…}), or null
 * @param moto            whether it was flagged MOTO ({@code payment_method_options[card][moto]=true})
 * @param idempotencyKey  the {@code Idempotency-Key} header of the request that created it, or null
 * @param created         creation time
 */
public record SimulatedSetup(String id, String status, String paymentMethodId, String customer, boolean moto,
                             String idempotencyKey, Instant created) {
}
