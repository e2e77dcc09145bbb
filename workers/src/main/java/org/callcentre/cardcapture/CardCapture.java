package org.callcentre.cardcapture;

import java.time.Instant;

import org.callcentre.cardvault.CardBrand;
import org.callcentre.payment.DeclineReason;
import org.callcentre.processes.CardCaptureProcess.Outcome;

/**
 * One card-capture conversation, as our own table keeps it (no card data here: the card sits in the vault).
 *
 * @param step           how many donor entries were accepted; a gather's action carries the step it was asked
 *                       at, so a retried or late webhook is recognised
 * @param failures       consecutive invalid entries at the current prompt
 * @param entryError     why the last entry was refused, for the re-prompt
 * @param declines       cards the gateway declined in this conversation
 * @param donorReturned  TwiML sending the donor back to the conference was served
 */
public record CardCapture(String id, long pledgeId, String processInstanceId, String callSid, String conferenceName,
        String agentId, Outcome status, int step, int failures, EntryError entryError, int declines,
        DeclineReason declineReason, CardBrand cardBrand, String maskedCard, String newTokenRef, boolean donorHungUp,
        boolean donorReturned, Instant startedAt, Instant endedAt) {
}
