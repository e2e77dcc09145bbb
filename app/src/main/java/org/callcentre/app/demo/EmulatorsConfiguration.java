package org.callcentre.app.demo;

import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.twilio.TwilioEmulator;
import org.callcentre.payment.PaymentGatewayProperties;
import org.callcentre.telephony.TwilioProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * In the demo run, the Twilio emulator and the gateway simulator run inside the app's JVM on their own ports,
 * as separate HTTP peers: the app reaches them over HTTP exactly as it would reach Twilio and the gateway.
 */
@Configuration
@ConditionalOnProperty(name = "app.emulators.enabled", havingValue = "true")
public class EmulatorsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmulatorsConfiguration.class);

    @Bean(destroyMethod = "close")
    public TwilioEmulator twilioEmulator(TwilioProperties twilio, @Value("${app.emulators.twilio-port}") int port,
            @Value("${app.emulators.pause-scale:1.0}") double pauseScale) {
        TwilioEmulator emulator = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                .withPort(port)
                .withAccountSid(twilio.accountSid())
                .withAuthToken(twilio.authToken())
                .withPauseScale(pauseScale));
        log.info("Twilio emulator on {} (play the donor at {}/)", emulator.baseUrl(), emulator.baseUrl());
        return emulator;
    }

    @Bean(destroyMethod = "close")
    public GatewaySimulator gatewaySimulator(PaymentGatewayProperties gateway,
            @Value("${app.emulators.gateway-port}") int port) {
        GatewaySimulator simulator = GatewaySimulator.start("127.0.0.1", port, gateway.secretKey());
        log.info("Payment gateway simulator on {}", simulator.baseUrl());
        return simulator;
    }
}
