package org.callcentre.cardcapture;

import static org.callcentre.problem.RefusedException.Reason.CONFLICT;
import static org.callcentre.problem.RefusedException.Reason.FORBIDDEN;
import static org.callcentre.problem.RefusedException.Reason.INVALID;
import static org.callcentre.problem.RefusedException.Reason.NOT_FOUND;

import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.callcentre.campaign.Campaign;
import org.callcentre.campaign.CampaignBook;
import org.callcentre.cardvault.CardBrand;
import org.callcentre.cardvault.CardVault;
import org.callcentre.dialler.DonorCalls;
import org.callcentre.dialler.DonorCalls.DonorCall;
import org.callcentre.dialler.LeadLocks;
import org.callcentre.pledge.Pledge;
import org.callcentre.pledge.PledgeBook;
import org.callcentre.problem.RefusedException;
import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.cardcapture.CardCaptureProcess;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Elements;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Entry;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Messages;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Variables;
import org.callcentre.recording.RecordingPauses;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one adapter between the outside world (the agent's API, Twilio's webhooks) and card-capture process
 * instances. Controllers call this; nothing else correlates messages to the model.
 *
 * <p>Each method runs in one transaction with the engine, so a webhook either takes full effect (entry
 * claimed, card data sealed in the vault, engine moved to its next wait state) or none. Where the engine can lose a
 * race with another transaction on the same instance, the retry is here too, so callers only render the answer.
 */
@Service
public class CardCaptureConversation {

    /** Tries at a donor's entry before the donor is simply asked again. */
    static final int ENTRY_ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(CardCaptureConversation.class);

    private final RuntimeService runtime;
    private final TaskService tasks;
    private final CardCaptureStore captures;
    private final PledgeBook pledges;
    private final CampaignBook campaigns;
    private final CardVault vault;
    private final Clock clock;
    private final CardCapturePromptProperties prompts;
    private final DonorCalls donorCalls;
    private final LeadLocks locks;
    private final RecordingPauses recordingPauses;
    private final TransactionTemplate entryTransaction;
    private final TransactionTemplate readTransaction;

    public CardCaptureConversation(RuntimeService runtime, TaskService tasks, CardCaptureStore captures,
            PledgeBook pledges, CampaignBook campaigns, CardVault vault, Clock clock, CardCapturePromptProperties prompts,
            DonorCalls donorCalls, LeadLocks locks, RecordingPauses recordingPauses,
            PlatformTransactionManager transactions) {
        this.runtime = runtime;
        this.tasks = tasks;
        this.captures = captures;
        this.pledges = pledges;
        this.campaigns = campaigns;
        this.vault = vault;
        this.clock = clock;
        this.prompts = prompts;
        this.donorCalls = donorCalls;
        this.locks = locks;
        this.recordingPauses = recordingPauses;
        this.entryTransaction = new TransactionTemplate(transactions);
        this.readTransaction = new TransactionTemplate(transactions);
        this.readTransaction.setReadOnly(true);
    }

    /**
     * The agent starts card capture for a pledge whose donor is on {@code callSid}, a live call the dialler placed to
     * the pledge's lead. Only the agent who holds the lead may, or, with {@code actsForAnyAgent}, an Admin Operations
     * user. {@code conferenceName} may be null: the donor's call names its conference. If the call is recorded, its
     * recording is paused first ({@link RecordingPauses}); a recording that cannot be paused refuses the capture.
     * Answers the capture id.
     */
    @Transactional
    public String start(long pledgeId, String callSid, String conferenceName, String agentId,
            boolean actsForAnyAgent) {
        if (callSid == null || !callSid.matches("CA[0-9a-fA-F]{32}")) {
            throw new RefusedException(INVALID, "callSid must be the donor's Twilio call (CA followed by 32 hex digits)");
        }
        if (conferenceName != null && (conferenceName.isBlank() || conferenceName.length() > 128)) {
            throw new RefusedException(INVALID, "conferenceName must name the agent's conference (1 to 128 characters)");
        }
        Pledge pledge = pledges.pledgeForUpdate(pledgeId)
                .orElseThrow(() -> new RefusedException(NOT_FOUND, "no pledge " + pledgeId));
        DonorCall donorCall = donorCallOf(pledge, callSid, agentId, actsForAnyAgent);
        if (conferenceName != null && !conferenceName.equals(donorCall.conferenceName())) {
            throw new RefusedException(CONFLICT, "call " + callSid + " is in conference " + donorCall.conferenceName()
                    + ", not " + conferenceName);
        }
        conferenceName = donorCall.conferenceName();
        Campaign campaign = campaigns.campaign(pledge.campaignId()).orElseThrow();
        if (!campaign.takesCards()) {
            throw new RefusedException(CONFLICT, "campaign " + campaign.name() + " takes no card payments");
        }
        Optional<CardCapture> running = captures.running(pledgeId);
        if (running.isPresent()) {
            throw new RefusedException(CONFLICT, running.get().status() == Outcome.UNKNOWN
                    ? "the last card payment for pledge " + pledgeId + " is not confirmed yet; it is being settled with "
                            + "the payment gateway, and a new capture can start once it is"
                    : "a card capture is already running for pledge " + pledgeId);
        }
        PaymentPath path = paymentPath(pledge, campaign);
        if (captures.runningByCallSid(callSid).isPresent()) {
            throw new RefusedException(CONFLICT, "call " + callSid + " is already in a card capture");
        }
        String captureId = UUID.randomUUID().toString();
        // Before anything of the capture exists, so before the donor can hear a card prompt: a recorded call's
        // recording is paused, or the capture does not start.
        recordingPauses.pauseForCardCapture(callSid, captureId);
        try {
            captures.insert(captureId, pledgeId, callSid, conferenceName, agentId, path, pledge.amount());
        } catch (DuplicateKeyException raced) {
            throw new RefusedException(CONFLICT, "a card capture is already running for pledge " + pledgeId);
        }
        vault.open(captureId);
        String instanceId = runtime.startProcessInstanceByKey(CardCaptureProcess.PROCESS_KEY, captureId,
                ProcessVariable.values()
                        .with(Variables.CAPTURE_ID, captureId)
                        .with(Variables.PLEDGE_ID, pledgeId)
                        .with(Variables.AGENT_ID, agentId)
                        .with(Variables.PAYMENT_PATH, path)
                        .with(Variables.FAILURES, 0)
                        .with(Variables.DECLINES, 0)
                        .with(Variables.TOKEN_FOLLOW_UP, false)
                        .with(Variables.OUTCOME, Outcome.IN_PROGRESS)
                        .asMap()).getId();
        captures.setProcessInstance(captureId, instanceId);
        return captureId;
    }

    /** The live call of the pledge's lead that {@code callSid} names, if the starting user may act on it. */
    private DonorCall donorCallOf(Pledge pledge, String callSid, String userId, boolean actsForAnyAgent) {
        if (pledge.leadId() == null) {
            throw new RefusedException(CONFLICT, "pledge " + pledge.id() + " was not taken on a call: card capture runs "
                    + "on a call of the pledge's lead");
        }
        DonorCall call = donorCalls.byCallSid(callSid).filter(c -> c.leadId() == pledge.leadId())
                .orElseThrow(() -> new RefusedException(CONFLICT, "call " + callSid + " is not a call of lead "
                        + pledge.leadId() + ", whose pledge this is"));
        if (call.ended()) {
            throw new RefusedException(CONFLICT, "call " + callSid + " has ended");
        }
        if (!actsForAnyAgent && !locks.heldBy(pledge.leadId(), userId)) {
            throw new RefusedException(FORBIDDEN, "only the agent who holds lead " + pledge.leadId()
                    + " can take its donor's card");
        }
        return call;
    }

    /**
     * What a capture for this pledge asks of the gateway. A paid one-off pledge is never charged again. A paid
     * recurring pledge only has its card replaced (a new token, no charge) unless its campaign charges on a card
     * update; the first payment of a pledge follows the campaign's settings.
     */
    private static PaymentPath paymentPath(Pledge pledge, Campaign campaign) {
        if (!pledge.paid()) {
            return campaign.paymentPath();
        }
        if (!pledge.frequency().isRecurring()) {
            throw new RefusedException(CONFLICT, "pledge " + pledge.id()
                    + " is a one-off gift that is already paid; it cannot be charged again");
        }
        if (campaign.chargeOnCardUpdate()) {
            return campaign.paymentPath();
        }
        if (!campaign.tokensEnabled()) {
            throw new RefusedException(CONFLICT, "pledge " + pledge.id() + " is paid and campaign "
                    + campaign.name() + " saves no cards, so there is no card to replace");
        }
        return PaymentPath.TOKENISE_ONLY;
    }

    /**
     * The agent brings the donor back (the card-capture icon clicked again): completes "Card capture in
     * progress", which interrupts the card entry. Refused while the gateway is being asked, because a
     * charge under way must finish and be recorded.
     */
    @Transactional
    public void cancelByAgent(long pledgeId) {
        pledges.pledge(pledgeId).orElseThrow(() -> new RefusedException(NOT_FOUND, "no pledge " + pledgeId));
        CardCapture capture = lockIfRunning(captures.running(pledgeId))
                .orElseThrow(() -> new RefusedException(CONFLICT, "no card capture is running for pledge " + pledgeId));
        Task task = tasks.createTaskQuery().processInstanceId(capture.processInstanceId())
                .taskDefinitionKey(Elements.CAPTURE_IN_PROGRESS).singleResult();
        if (task == null) {
            if (runtime.getActiveActivityIds(capture.processInstanceId()).contains(Elements.MOVE_DONOR_TO_IVR)) {
                throw new RefusedException(CONFLICT,
                        "the donor is still being moved into the card capture; try again in a moment");
            }
            throw new RefusedException(CONFLICT,
                    "the payment is being processed; the donor comes back to you as soon as it completes");
        }
        tasks.complete(task.getId());
    }

    /**
     * What the donor should hear now. Read without the capture's lock, so the capture row is read again after
     * the engine: a job moves the engine and records on the row in one transaction (a decline, say), and under
     * read-committed isolation a row read before the engine's state could predate it, so that the donor would hear
     * the card-number prompt without the decline's reason. Read after, the row is at least as new as the state.
     */
    @Transactional(readOnly = true)
    public DonorStep currentStep(String captureId) {
        return stepNow(captureId);
    }

    private DonorStep stepNow(String captureId) {
        CardCapture capture = captures.find(captureId)
                .orElseThrow(() -> new RefusedException(NOT_FOUND, "no card capture " + captureId));
        PledgeBook.PledgeInCampaign pledge = pledges.pledgeInCampaign(capture.pledgeId()).orElseThrow();
        DonorStep.Kind kind = kindOf(capture);
        if (kind != DonorStep.Kind.FINISHED) {
            capture = captures.get(captureId);
        }
        return new DonorStep(kind, capture, pledge.pledge(), pledge.campaign());
    }

    /**
     * The donor's keys at the prompt asked at {@code step}. A duplicate (Twilio retried) or late webhook
     * changes nothing and answers the current step again.
     *
     * <p>{@code prompt} is the prompt the gather asked, from its action URL (signed by Twilio with the rest of the
     * URL); with it the entry is taken without first asking the engine where the conversation stands. Without it
     * (or unreadable) the engine is asked. Either way the engine has the last word: it refuses an entry message it
     * is not waiting for, and the whole transaction, vault included, rolls back; the donor then hears the step the
     * conversation is at. An entry that loses a race with another transaction on the instance (a job, the agent, a
     * hang-up) is rolled back likewise and tried again in a new transaction, a few times, before the donor is asked
     * again where things stand.
     */
    public DonorStep enterDigits(String captureId, int step, String prompt, String digits, String finishedOnKey) {
        for (int attempt = 1; ; attempt++) {
            try {
                return entryTransaction.execute(status -> takeEntry(captureId, step, prompt, digits, finishedOnKey));
            } catch (EntryNotAwaitedException notWaiting) {
                // The engine is not at the prompt this answers (the agent brought the donor back at the same moment,
                // say).
                log.info("Entry for capture {} answers a prompt the conversation is no longer at; re-prompting",
                        captureId);
                return readTransaction.execute(status -> stepNow(captureId));
            } catch (OptimisticLockingException raced) {
                if (attempt == ENTRY_ATTEMPTS) {
                    log.info("Entry for capture {} not taken after {} attempts ({}); re-prompting", captureId,
                            ENTRY_ATTEMPTS, raced.getClass().getSimpleName());
                    return readTransaction.execute(status -> stepNow(captureId));
                }
            }
        }
    }

    private DonorStep takeEntry(String captureId, int step, String prompt, String digits, String finishedOnKey) {
        CardCapture capture = captures.lock(captureId)
                .orElseThrow(() -> new RefusedException(NOT_FOUND, "no card capture " + captureId));
        PledgeBook.PledgeInCampaign pledge = pledges.pledgeInCampaign(capture.pledgeId()).orElseThrow();
        if (capture.step() != step) {
            // A retried or late webhook: the entry was taken already.
            return stepOf(capture, pledge.pledge(), pledge.campaign());
        }
        DonorStep.Kind asked = promptOf(prompt);
        DonorStep now = asked != null && isRunning(capture)
                ? new DonorStep(asked, capture, pledge.pledge(), pledge.campaign())
                : stepOf(capture, pledge.pledge(), pledge.campaign());
        if (!now.isPrompt()) {
            // The conversation moved on without a new prompt (the donor holds, or it is over).
            return now;
        }
        if (DonorEntry.isSilence(digits, finishedOnKey)) {
            return silence(capture, now);
        }
        String message;
        DonorEntry entry;
        String masked = null;
        CardBrand brand = null;
        switch (now.kind()) {
            case CARD_NUMBER -> {
                message = Messages.CARD_NUMBER_ENTERED;
                entry = DonorEntry.cardNumber(digits, finishedOnKey);
                if (entry.entry() == Entry.VALID) {
                    vault.putNumber(captureId, digits);
                    masked = CardBrand.mask(digits);
                    brand = CardBrand.of(digits);
                }
            }
            case EXPIRY -> {
                message = Messages.EXPIRY_ENTERED;
                entry = DonorEntry.expiry(digits, finishedOnKey, YearMonth.now(clock));
                if (entry.entry() == Entry.VALID) {
                    YearMonth expiry = DonorEntry.expiryOf(digits);
                    vault.putExpiry(captureId, expiry.getMonthValue(), expiry.getYear());
                }
            }
            default -> {
                message = Messages.SECURITY_CODE_ENTERED;
                entry = DonorEntry.securityCode(digits, finishedOnKey,
                        capture.cardBrand() == null ? CardBrand.OTHER : capture.cardBrand());
                if (entry.entry() == Entry.VALID) {
                    vault.putSecurityCode(captureId, digits);
                }
            }
        }
        int failures = entry.entry() == Entry.INVALID ? capture.failures() + 1 : 0;
        captures.takeEntry(captureId, step, now.kind(), failures, entry.error(), brand, masked);
        ProcessVariable.Values variables = ProcessVariable.values()
                .with(Variables.ENTRY, entry.entry())
                .with(Variables.FAILURES, failures);
        if (masked != null) {
            variables.with(Variables.MASKED_CARD, masked);
        }
        if (runtime.createMessageCorrelation(message)
                .processInstanceId(capture.processInstanceId())
                .setVariables(variables.asMap())
                .correlateAllWithResult().isEmpty()) {
            throw new EntryNotAwaitedException(captureId);
        }
        // Pledge and campaign do not change during a conversation: only the capture and the engine moved on.
        DonorStep next = stepOf(captures.get(captureId), pledge.pledge(), pledge.campaign());
        if (next.kind() == DonorStep.Kind.FINISHED) {
            captures.markDonorReturned(captureId);
        }
        return next;
    }

    /**
     * The prompt timed out without a key. Up to {@code app.card-capture.silent-prompts} times in a row it is asked
     * again, at the next step so that a retried webhook is recognised; that is no failed entry. The silence after
     * that is the donor's way back to the agent: it escapes as {@code ##} does, with SILENCE recorded as the reason.
     * A re-prompt correlates nothing, so the engine is asked first whether it still waits at that prompt.
     */
    private DonorStep silence(CardCapture capture, DonorStep asked) {
        DonorStep.Kind at = kindOf(capture);
        if (at != asked.kind()) {
            return new DonorStep(at, capture, asked.pledge(), asked.campaign());
        }
        if (captures.silentPromptsInARow(capture.id()) < prompts.silentPrompts()) {
            captures.takeSilence(capture.id(), capture.step());
            return new DonorStep(at, captures.get(capture.id()), asked.pledge(), asked.campaign());
        }
        captures.takeEntry(capture.id(), capture.step(), at, capture.failures(), EntryError.SILENCE, null, null);
        boolean correlated = !runtime.createMessageCorrelation(messageOf(at))
                .processInstanceId(capture.processInstanceId())
                .setVariables(ProcessVariable.values()
                        .with(Variables.ENTRY, Entry.ESCAPE)
                        .with(Variables.FAILURES, capture.failures())
                        .asMap())
                .correlateAllWithResult().isEmpty();
        if (!correlated) {
            throw new EntryNotAwaitedException(capture.id());
        }
        DonorStep next = stepOf(captures.get(capture.id()), asked.pledge(), asked.campaign());
        if (next.kind() == DonorStep.Kind.FINISHED) {
            captures.markDonorReturned(capture.id());
        }
        return next;
    }

    /** The message that answers a prompt. */
    private static String messageOf(DonorStep.Kind prompt) {
        return switch (prompt) {
            case CARD_NUMBER -> Messages.CARD_NUMBER_ENTERED;
            case EXPIRY -> Messages.EXPIRY_ENTERED;
            case SECURITY_CODE -> Messages.SECURITY_CODE_ENTERED;
            default -> throw new IllegalArgumentException(prompt + " is not a prompt");
        };
    }

    /**
     * The agent's conference, for the way back when a webhook fails: read alone, so it can succeed where reading
     * the whole step did not.
     */
    @Transactional(readOnly = true)
    public Optional<String> conferenceOf(String captureId) {
        return captures.conferenceName(captureId);
    }

    /**
     * Twilio says the donor's call ended. During card entry this ends the capture as abandoned; while the
     * gateway is being asked the payment completes and is recorded, and nobody is redirected afterwards.
     * Duplicates and callbacks for calls with no running capture change nothing.
     */
    @Transactional
    public void callEnded(String callSid) {
        lockIfRunning(captures.runningByCallSid(callSid)).ifPresent(capture -> {
            captures.markDonorHungUp(capture.id());
            runtime.createMessageCorrelation(Messages.DONOR_HUNG_UP)
                    .processInstanceId(capture.processInstanceId())
                    .correlateAllWithResult();
        });
    }

    /** The TwiML returning the donor to the agent is being served (so no REST redirect is needed any more). */
    @Transactional
    public DonorStep returnDonor(String captureId) {
        DonorStep step = stepNow(captureId);
        captures.markDonorReturned(captureId);
        return step;
    }

    /**
     * The running capture found, under its row lock and read again once locked (it may have ended meanwhile). Every
     * step of one call that moves the engine during card entry takes this lock first (the donor's entries, the move
     * job, the hang-up, the agent's cancel), so they take turns in the engine instead of one failing on the
     * instance's version.
     */
    private Optional<CardCapture> lockIfRunning(Optional<CardCapture> found) {
        return found.flatMap(running -> captures.lock(running.id())).filter(CardCaptureConversation::isRunning);
    }

    private DonorStep stepOf(CardCapture capture, Pledge pledge, Campaign campaign) {
        return new DonorStep(kindOf(capture), capture, pledge, campaign);
    }

    private static boolean isRunning(CardCapture capture) {
        return capture.status() == Outcome.IN_PROGRESS && capture.processInstanceId() != null;
    }

    /** The prompt named in a gather's action URL; null if absent or not a prompt. */
    private static DonorStep.Kind promptOf(String prompt) {
        if (prompt == null) {
            return null;
        }
        for (DonorStep.Kind kind : DonorStep.Kind.values()) {
            if (kind.isPrompt() && kind.name().equals(prompt)) {
                return kind;
            }
        }
        return null;
    }

    private DonorStep.Kind kindOf(CardCapture capture) {
        if (!isRunning(capture)) {
            return DonorStep.Kind.FINISHED;
        }
        List<String> active;
        try {
            active = runtime.getActiveActivityIds(capture.processInstanceId());
        } catch (ProcessEngineException ended) {
            return DonorStep.Kind.FINISHED;
        }
        if (active.contains(Elements.CARD_NUMBER) || active.contains(Elements.MOVE_DONOR_TO_IVR)) {
            return DonorStep.Kind.CARD_NUMBER;
        }
        if (active.contains(Elements.EXPIRY)) {
            return DonorStep.Kind.EXPIRY;
        }
        if (active.contains(Elements.SECURITY_CODE)) {
            return DonorStep.Kind.SECURITY_CODE;
        }
        return DonorStep.Kind.HOLD;
    }
}
