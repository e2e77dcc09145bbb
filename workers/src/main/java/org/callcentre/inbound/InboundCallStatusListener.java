package org.callcentre.inbound;

import org.callcentre.telephony.CallStatusListener;
import org.callcentre.telephony.CallStatusUpdate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** An inbound call's final status ends its instance's wait, wherever the caller was (menu, queue, agent). */
public class InboundCallStatusListener implements CallStatusListener {

    private final InboundCalls calls;
    private final InboundCallDesk desk;
    private final TransactionTemplate transaction;

    public InboundCallStatusListener(InboundCalls calls, InboundCallDesk desk, PlatformTransactionManager transactions) {
        this.calls = calls;
        this.desk = desk;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Override
    public void onCallStatus(CallStatusUpdate update) {
        if (!update.ended()) {
            return;
        }
        transaction.executeWithoutResult(tx -> calls.bySid(update.callSid()).ifPresent(call -> desk.ended(call.id())));
    }
}
