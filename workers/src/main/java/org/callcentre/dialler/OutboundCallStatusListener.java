package org.callcentre.dialler;

import org.callcentre.dialler.OutboundCalls.Change;
import org.callcentre.telephony.CallStatusListener;
import org.callcentre.telephony.CallStatusUpdate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dialler's part of the shared status callback. For an outbound call: the status is written to the call's row
 * (forward only, the end once) and committed, then the call's instance is told. For an agent's phone: connected while
 * in progress, not once ended. Calls of neither kind, older statuses and repeats change nothing.
 */
public class OutboundCallStatusListener implements CallStatusListener {

    private final OutboundCalls calls;
    private final AgentPhones phones;
    private final OutboundCallMessages messages;
    private final TransactionTemplate transaction;

    public OutboundCallStatusListener(OutboundCalls calls, AgentPhones phones, OutboundCallMessages messages,
            PlatformTransactionManager transactions) {
        this.calls = calls;
        this.phones = phones;
        this.messages = messages;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Override
    public void onCallStatus(CallStatusUpdate update) {
        if (update.repeated()) {
            return;
        }
        // An older status than the call's moves nothing (the call's history still keeps it), but an end is true
        // whenever it is heard.
        boolean news = update.current() || update.ended();
        Applied applied = transaction.execute(tx -> {
            if (news) {
                phones.apply(update.callSid(), update.status(), update.sequenceNumber());
            }
            Change change = calls.apply(update.callSid(), update.status(), update.sequenceNumber(),
                    update.durationSeconds());
            return new Applied(change, change == Change.NONE ? null : calls.idOfSid(update.callSid()).orElseThrow());
        });
        switch (applied.change()) {
            case PROGRESSED -> messages.progressed(applied.callId());
            case ENDED -> messages.ended(applied.callId());
            case NONE -> {
            }
        }
    }

    private record Applied(Change change, Long callId) {
    }
}
