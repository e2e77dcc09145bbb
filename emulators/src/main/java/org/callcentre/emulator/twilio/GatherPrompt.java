package org.callcentre.emulator.twilio;

/**
 * An open {@code <Gather>} as the caller experiences it.
 *
 * @param prompt         the texts heard from the start of the current TwiML document up to (and
 *                       including the nested prompts of) this gather, joined with a space
 * @param numDigits      the gather's numDigits, or null when unlimited
 * @param finishOnKey    the key that ends the gather ("" when disabled)
 * @param timeoutSeconds the gather's timeout in (unscaled) seconds
 * @param action         the absolute URL the digits will be sent to, or null when there is none
 */
public record GatherPrompt(String prompt, Integer numDigits, String finishOnKey, int timeoutSeconds, String action) {
}
