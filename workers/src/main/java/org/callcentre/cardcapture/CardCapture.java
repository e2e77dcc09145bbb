package org.callcentre.cardcapture;

import java.time.Instant;

import org.callcentre.cardvault.CardBrand;
import org.callcentre.payment.DeclineReason;
import org.callcentre.payment.Money;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;

/**
 * One card-capture conversation, as our own table keeps it (no card data here: the card sits in the vault).
 *
 * @param step           how many donor entries were accepted; a gather's action carries the step it was asked
 *                       at, so a retried or late webhook is recognised
 * @param failures       consecutive invalid entries at the current prompt
 * @param entryError     why the last entry was refused, for the re-prompt
 * @param declines       cards the gateway declined in this conversation
 * @param donorReturned  TwiML sending the donor back to the conference was served
 * @param paymentPath    what the gateway is asked to do, fixed from the campaign and pledge when the capture starts
 * @param amount         what a charge takes, fixed from the pledge when the capture starts
 * @param paymentMethod  the gateway's payment method made from the current card (no card data: the gateway's id)
 * @param chargeReference the gateway's id of a charge accepted but not yet settled
 * @param settleAttempts how often a charge whose outcome is unknown was asked after
 */
public record CardCapture(String id, long pledgeId, String processInstanceId, String callSid, String conferenceName,
        String agentId, Outcome status, int step, int failures, EntryError entryError, int declines,
        DeclineReason declineReason, CardBrand cardBrand, String maskedCard, String newTokenRef, boolean donorHungUp,
        boolean donorReturned, Instant startedAt, Instant endedAt, PaymentPath paymentPath, Money amount,
        String paymentMethod, String chargeReference, int settleAttempts) {

    /** The key that makes a retried gateway call the same call: per capture, per card tried, per operation. */
    public String idempotencyKey(String operation) {
        return id + ":card" + declines + ":" + operation;
    }

    /** Whether the payment path charges the card the donor just entered (rather than a token made from it). */
    public boolean chargesCard() {
        return paymentPath == PaymentPath.CHARGE_THEN_TOKENISE || paymentPath == PaymentPath.CHARGE_ONLY;
    }
}
