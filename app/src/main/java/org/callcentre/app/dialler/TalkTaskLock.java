package org.callcentre.app.dialler;

import org.callcentre.app.security.TaskCompletionLocks;
import org.callcentre.dialler.OutboundCalls;
import org.springframework.stereotype.Component;

/** A task of an outbound call's process is completed under the call's row lock, as the console's close is. */
@Component
public class TalkTaskLock implements TaskCompletionLocks.ProcessRowLock {

    private final OutboundCalls calls;

    public TalkTaskLock(OutboundCalls calls) {
        this.calls = calls;
    }

    @Override
    public boolean lock(String processInstanceId) {
        return calls.lockOfProcess(processInstanceId).isPresent();
    }
}
