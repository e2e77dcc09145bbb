package org.callcentre.bench;

import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.twilio.TwilioEmulator;

/**
 * The app under test as a scenario sees it: its base URL, the demo users' password, and the emulators it talks to
 * (real HTTP peers on loopback in the benchmark's JVM).
 */
public record RunningApp(String baseUrl, String password, TwilioEmulator twilio, GatewaySimulator gateway) {
}
