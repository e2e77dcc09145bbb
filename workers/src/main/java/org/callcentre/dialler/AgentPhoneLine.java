package org.callcentre.dialler;

import static org.callcentre.problem.RefusedException.conflict;

import java.util.Optional;

import org.callcentre.telephony.CallStatusLog;
import org.callcentre.telephony.CallStatusUpdate;
import org.callcentre.telephony.TwilioCalls;
import org.callcentre.telephony.TwilioCalls.CallRefusedException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Connects an agent's phone for a shift: Twilio calls the user's device and, once answered, puts it into the
 * conference {@code agent-<userId>}, where the agent's calls join it. The phone counts as connected once Twilio
 * reports the leg in progress.
 */
public class AgentPhoneLine {

    /** How long the agent's device rings before Twilio gives up. */
    static final int RING_SECONDS = 60;

    private final AgentPhones phones;
    private final DiallerFacts facts;
    private final TwilioCalls twilio;
    private final CallStatusLog log;
    private final DiallerUrls urls;
    private final String callerId;
    private final TransactionTemplate transaction;

    /** {@code callerId}: the number the agents' phones are called from ({@code dialler.agent-caller-id}). */
    public AgentPhoneLine(AgentPhones phones, DiallerFacts facts, TwilioCalls twilio, CallStatusLog log,
            DiallerUrls urls, String callerId, PlatformTransactionManager transactions) {
        this.phones = phones;
        this.facts = facts;
        this.twilio = twilio;
        this.log = log;
        this.urls = urls;
        this.callerId = callerId;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Calls the user's device; a phone that is ringing or connected already is left as it is. */
    public AgentPhone connect(String userId) {
        return connect(userId, urls.agentPhoneAnswered(userId));
    }

    /**
     * Calls the user's device, which fetches {@code twimlUrl} when answered (it must end in the user's conference);
     * a phone that is ringing or connected already is left as it is.
     */
    public AgentPhone connect(String userId, String twimlUrl) {
        AgentPhone phone = transaction.execute(tx -> {
            String device = facts.device(userId).orElseThrow(() -> conflict("no device set for " + userId
                    + ": an admin sets where the user's phone rings"));
            if (callerId == null || callerId.isBlank()) {
                throw conflict("dialler.agent-caller-id is not set: there is no number to call agents' phones from");
            }
            phones.lock(userId, device);
            AgentPhone current = phones.phone(userId).orElseThrow();
            if (current.callSid() != null && !CallStatusUpdate.isEnded(current.status())) {
                return current;
            }
            String sid;
            try {
                sid = twilio.create(device, callerId, twimlUrl, RING_SECONDS);
            } catch (CallRefusedException refused) {
                throw conflict("Twilio refused to call " + device + ": " + refused.getMessage());
            }
            phones.dialled(userId, device, sid);
            return phones.phone(userId).orElseThrow();
        });
        // Statuses Twilio sent while the sid was not yet committed were recorded but found no phone.
        return transaction.execute(tx -> {
            log.call(phone.callSid()).ifPresent(state -> phones.apply(state.callSid(), state.status(), state.sequenceNumber()));
            return phones.phone(userId).orElseThrow();
        });
    }

    /** Hangs up the user's phone; nothing to do if it is not ringing or connected. */
    public void hangUp(String userId) {
        Optional<AgentPhone> phone = phones(userId);
        if (phone.isEmpty() || phone.get().callSid() == null || CallStatusUpdate.isEnded(phone.get().status())) {
            return;
        }
        twilio.hangUp(phone.get().callSid(), phone.get().connected());
        transaction.executeWithoutResult(tx -> phones.apply(phone.get().callSid(),
                phone.get().connected() ? "completed" : "canceled", null));
    }

    public Optional<AgentPhone> phones(String userId) {
        return transaction.execute(tx -> phones.phone(userId));
    }
}
