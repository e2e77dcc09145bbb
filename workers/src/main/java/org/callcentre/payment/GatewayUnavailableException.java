package org.callcentre.payment;

/**
 * The gateway could not be reached or answered with a server error. The message is ours, never the
 * gateway's text or the request (either could echo card data): it ends up in job logs and incidents.
 */
public class GatewayUnavailableException extends RuntimeException {

    public GatewayUnavailableException(String message) {
        super(message);
    }
}
