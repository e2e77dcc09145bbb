package org.callcentre.payment;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the Stripe-style gateway is and how long to wait for it.
 *
 * @param baseUrl   the API root, for example {@code https://api.stripe.com} or the simulator's URL
 * @param secretKey the secret API key (never committed; the demo run uses the simulator's)
 * @param timeout   how long one request may take before it counts as a gateway failure and is retried
 *                  with the same idempotency key
 */
@ConfigurationProperties(prefix = "payment.gateway")
public record PaymentGatewayProperties(String baseUrl, String secretKey, Duration timeout) {

    public PaymentGatewayProperties {
        if (timeout == null) {
            timeout = Duration.ofSeconds(5);
        }
    }
}
