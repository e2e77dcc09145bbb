package org.callcentre.app.callback;

import org.callcentre.app.security.TaskCompletionLocks;
import org.callcentre.callback.Callbacks;
import org.springframework.stereotype.Component;

/**
 * A callback's task is completed under the callback's row lock, which every change to the callback takes first: a
 * Tasklist "give up" racing a call's outcome or a reschedule is one after the other, never both at once.
 */
@Component
public class CallbackTaskLock implements TaskCompletionLocks.ProcessRowLock {

    private final Callbacks callbacks;

    public CallbackTaskLock(Callbacks callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    public boolean lock(String processInstanceId) {
        return callbacks.lockOfProcess(processInstanceId);
    }
}
