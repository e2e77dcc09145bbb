package org.callcentre.payment;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Where the Stripe-style gateway is and how long to wait for it.
 *
 * @param baseUrl        the API root, for example {@code https://api.stripe.com} or the simulator's URL
 * @param secretKey      the secret API key (never committed; the demo run uses the simulator's)
 * @param timeout        how long one request may take (default 30 s: a card authorisation takes seconds to tens of
 *                       seconds). After it the outcome is unknown, and the request is replayed with the same
 *                       idempotency key. It must stay well below the job executor's lock time.
 * @param connectTimeout how long to wait for a connection (default 5 s); a connection refused or not made in
 *                       time means nothing reached the gateway
 */
@ConfigurationProperties(prefix = "payment.gateway")
public record PaymentGatewayProperties(String baseUrl, String secretKey, Duration timeout, Duration connectTimeout) {

    @ConstructorBinding
    public PaymentGatewayProperties {
        if (timeout == null) {
            timeout = Duration.ofSeconds(30);
        }
        if (connectTimeout == null) {
            connectTimeout = Duration.ofSeconds(5);
        }
    }

    /** With the default connect timeout. */
    public PaymentGatewayProperties(String baseUrl, String secretKey, Duration timeout) {
        this(baseUrl, secretKey, timeout, null);
    }
}
