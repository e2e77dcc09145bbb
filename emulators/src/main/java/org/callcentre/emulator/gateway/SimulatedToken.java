package org.callcentre.emulator.gateway;

import java.time.Instant;

/**
 * A saved payment method ({@code pm_…}) created by a succeeded setup intent. Holds no card number
 * or cvc.
 */
public record SimulatedToken(String id, String brand, String last4, int expMonth, int expYear, Instant created) {
}
