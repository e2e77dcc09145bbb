package org.callcentre.telephony;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param accountSid  the Twilio account (AC…)
 * @param authToken   its auth token: signs webhooks and authenticates REST calls; never committed
 * @param apiBaseUrl  Twilio's REST API root; the emulator's URL in the demo run
 */
@ConfigurationProperties(prefix = "twilio")
public record TwilioProperties(String accountSid, String authToken, String apiBaseUrl) {

    public static final String TWILIO_API = "https://api.twilio.com";

    public TwilioProperties {
        if (apiBaseUrl == null || apiBaseUrl.isBlank()) {
            apiBaseUrl = TWILIO_API;
        }
    }
}
