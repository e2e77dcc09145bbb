package org.callcentre.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.callcentre.campaign.Campaign;
import org.callcentre.campaign.CampaignBook;
import org.callcentre.cardvault.CardVault;
import org.callcentre.dialler.DonorCalls;
import org.callcentre.dialler.LeadLocks;
import org.callcentre.payment.Money;
import org.callcentre.pledge.Frequency;
import org.callcentre.pledge.Pledge;
import org.callcentre.pledge.PledgeBook;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Elements;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Messages;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.callcentre.recording.RecordingPauses;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.MessageCorrelationBuilder;
import org.camunda.bpm.engine.runtime.MessageCorrelationResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Answers;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.SimpleTransactionStatus;

/**
 * A donor's entry that loses a race on the process instance (another transaction moved it first, and the engine
 * refuses the stale write with an {@link OptimisticLockingException}) is rolled back and taken again inside the
 * adapter, in a new transaction, so the webhook's controller only renders the answer.
 */
class CardCaptureConversationRaceTest {

    private static final String CAPTURE = "6f1c2a9e-3b1d-4c55-9a0e-2f8d7c1b4e21";
    private static final String INSTANCE = "instance-1";
    private static final String VISA = "4242424242424242";

    private final RuntimeService runtime = mock(RuntimeService.class);
    private final CardCaptureStore captures = mock(CardCaptureStore.class);
    private final PledgeBook pledges = mock(PledgeBook.class);
    private final CardVault vault = mock(CardVault.class);
    private final PlatformTransactionManager transactions = mock(PlatformTransactionManager.class);
    private final MessageCorrelationBuilder correlation = mock(MessageCorrelationBuilder.class, Answers.RETURNS_SELF);

    private CardCaptureConversation conversation;

    @BeforeEach
    void aCaptureAtTheCardNumberPrompt() {
        conversation = new CardCaptureConversation(runtime, mock(TaskService.class), captures, pledges,
                mock(CampaignBook.class), vault, Clock.fixed(Instant.parse("2026-01-15T10:00:00Z"), ZoneOffset.UTC),
                CardCapturePromptProperties.defaults(), mock(DonorCalls.class), mock(LeadLocks.class),
                mock(RecordingPauses.class), transactions);
        when(transactions.getTransaction(any())).thenAnswer(call -> new SimpleTransactionStatus());

        Money amount = Money.of(new BigDecimal("20.00"), Currency.getInstance("GBP"));
        Pledge pledge = new Pledge(7, 3, "Dana Donor", "+447700900123", amount, Frequency.ONE_OFF, null, null, false,
                Instant.EPOCH, null);
        Campaign campaign = new Campaign(3, "Winter Appeal", Currency.getInstance("GBP"), Locale.UK, true, false,
                false, false);
        when(pledges.pledgeInCampaign(7)).thenReturn(Optional.of(new PledgeBook.PledgeInCampaign(pledge, campaign)));
        when(captures.lock(CAPTURE)).thenReturn(Optional.of(capture(0)));
        when(captures.find(CAPTURE)).thenReturn(Optional.of(capture(0)));
        when(runtime.createMessageCorrelation(Messages.CARD_NUMBER_ENTERED)).thenReturn(correlation);
    }

    @Test
    void aRacedEntryIsTakenAgainInANewTransaction() {
        when(correlation.correlateAllWithResult())
                .thenThrow(new OptimisticLockingException("the instance was updated by another transaction"))
                .thenReturn(List.of(mock(MessageCorrelationResult.class)));
        when(captures.get(CAPTURE)).thenReturn(capture(1));
        when(runtime.getActiveActivityIds(INSTANCE)).thenReturn(List.of(Elements.CARD_ENTRY, Elements.EXPIRY));

        DonorStep next = conversation.enterDigits(CAPTURE, 0, "CARD_NUMBER", VISA, "#");

        assertThat(next.kind()).isEqualTo(DonorStep.Kind.EXPIRY);
        verify(correlation, times(2)).correlateAllWithResult();
        // Both tries did the whole entry; the first was rolled back with everything else, the second committed.
        verify(captures, times(2)).takeEntry(eq(CAPTURE), eq(0), eq(DonorStep.Kind.CARD_NUMBER), eq(0), any(), any(),
                anyString());
        verify(vault, times(2)).putNumber(CAPTURE, VISA);
        verify(transactions, times(1)).rollback(any());
        verify(transactions, times(1)).commit(any());
    }

    @Test
    void anEntryThatKeepsLosingIsAnsweredWithTheStepTheConversationIsAt() {
        when(correlation.correlateAllWithResult())
                .thenThrow(new OptimisticLockingException("the instance was updated by another transaction"));
        when(captures.get(CAPTURE)).thenReturn(capture(0));
        when(runtime.getActiveActivityIds(INSTANCE)).thenReturn(List.of(Elements.CARD_ENTRY, Elements.CARD_NUMBER));

        DonorStep now = conversation.enterDigits(CAPTURE, 0, "CARD_NUMBER", VISA, "#");

        assertThat(now.kind()).isEqualTo(DonorStep.Kind.CARD_NUMBER);
        verify(correlation, times(CardCaptureConversation.ENTRY_ATTEMPTS)).correlateAllWithResult();
        verify(transactions, times(CardCaptureConversation.ENTRY_ATTEMPTS)).rollback(any());
        // The last answer is read in a read-only transaction of its own, which commits nothing the entry wrote.
        verify(transactions, times(1)).commit(any());
        verify(captures, never()).markDonorReturned(anyString());
    }

    @Test
    void anEntryTheEngineNoLongerAwaitsIsNotRetried() {
        when(correlation.correlateAllWithResult()).thenReturn(List.of());
        when(captures.get(CAPTURE)).thenReturn(capture(0));
        when(runtime.getActiveActivityIds(INSTANCE)).thenReturn(List.of(Elements.RETURN_DONOR_TO_AGENT));

        DonorStep now = conversation.enterDigits(CAPTURE, 0, "CARD_NUMBER", VISA, "#");

        assertThat(now.kind()).isEqualTo(DonorStep.Kind.HOLD);
        verify(correlation, times(1)).correlateAllWithResult();
        verify(transactions, times(1)).rollback(any());
        verify(captures, times(1)).takeEntry(anyString(), anyInt(), any(), anyInt(), any(), any(), any());
    }

    private static CardCapture capture(int step) {
        return new CardCapture(CAPTURE, 7, INSTANCE, "CA" + "0".repeat(32), "conference-7", "agent",
                Outcome.IN_PROGRESS, step, 0, null, 0, null, null, null, null, false, false, Instant.EPOCH, null,
                PaymentPath.CHARGE_ONLY, Money.of(new BigDecimal("20.00"), Currency.getInstance("GBP")), null, null, 0);
    }
}
