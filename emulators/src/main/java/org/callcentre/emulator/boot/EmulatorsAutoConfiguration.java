package org.callcentre.emulator.boot;

import java.time.Duration;
import java.util.List;
import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.twilio.CallOutcome;
import org.callcentre.emulator.twilio.TwilioEmulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * In the demo run, the Twilio emulator and the gateway simulator run inside the app's JVM on their own ports, as
 * separate HTTP peers: the app reaches them over HTTP exactly as it would reach Twilio and the gateway.
 * <p>
 * An auto-configuration rather than a class in the app, so that the app never names an emulator: the emulators are
 * on the classpath of {@code spring-boot:run} and the tests, and absent from the production jar. They take the same
 * plain properties the app gives its Twilio client and gateway adapter, so each side checks the other's signatures
 * and keys.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "app.emulators.enabled", havingValue = "true")
public class EmulatorsAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmulatorsAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    public TwilioEmulator twilioEmulator(@Value("${twilio.account-sid}") String accountSid,
            @Value("${twilio.auth-token}") String authToken, @Value("${app.emulators.twilio-port}") int port,
            @Value("${app.emulators.pause-scale:1.0}") double pauseScale,
            @Value("${app.emulators.outbound-outcome:ANSWER}") CallOutcome outboundOutcome,
            @Value("${app.emulators.ring-time:0s}") Duration ringTime,
            @Value("${app.emulators.inbound-numbers:}") List<String> inboundNumbers,
            @Value("${app.emulators.inbound-voice-url:}") String voiceUrl,
            @Value("${app.emulators.inbound-status-url:}") String statusUrl,
            @Value("${app.emulators.inbound-messaging-url:}") String messagingUrl) {
        // the phones the app calls pick up by themselves unless the demo asks them to ring for a person to answer
        TwilioEmulator emulator = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                .withPort(port)
                .withAccountSid(accountSid)
                .withAuthToken(authToken)
                .withPauseScale(pauseScale)
                .withOutboundOutcome(outboundOutcome)
                .withRingTime(ringTime));
        // The app's inbound numbers, as the Twilio console would be set up: their calls fetch the app's Voice URL,
        // and the messages sent to them go to its messaging URL.
        for (String number : inboundNumbers) {
            if (!number.isBlank() && !voiceUrl.isBlank()) {
                emulator.setVoiceUrl(number.trim(), voiceUrl, statusUrl.isBlank() ? null : statusUrl);
            }
            if (!number.isBlank() && !messagingUrl.isBlank()) {
                emulator.setMessagingUrl(number.trim(), messagingUrl);
            }
        }
        log.info("Twilio emulator on {} (play the donor at {}/)", emulator.baseUrl(), emulator.baseUrl());
        return emulator;
    }

    @Bean(destroyMethod = "close")
    public GatewaySimulator gatewaySimulator(@Value("${payment.gateway.secret-key}") String secretKey,
            @Value("${app.emulators.gateway-port}") int port) {
        GatewaySimulator simulator = GatewaySimulator.start("127.0.0.1", port, secretKey);
        log.info("Payment gateway simulator on {}", simulator.baseUrl());
        return simulator;
    }
}
