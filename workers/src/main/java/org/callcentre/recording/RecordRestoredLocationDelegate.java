package org.callcentre.recording;

import org.callcentre.processes.recording.RecordingRestoreProcess.Variables;
import org.callcentre.recording.CallRecordings.RestoreRequest;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.identity.Authentication;

/**
 * Records where a restored recording's audio now is, right after its restore task is completed and in the same
 * transaction. The request is found by the process instance id, never by a variable; only the location comes from
 * the form. A location outside the restore store's base is refused with the engine's form validation exception, which
 * its REST API answers with 400: the completion is rolled back and the task stays open.
 */
public class RecordRestoredLocationDelegate implements JavaDelegate {

    private final CallRecordings recordings;
    private final RestoreLocations locations;

    public RecordRestoredLocationDelegate(CallRecordings recordings, RestoreLocations locations) {
        this.recordings = recordings;
        this.locations = locations;
    }

    @Override
    public void execute(DelegateExecution execution) {
        RestoreRequest request = recordings.restoreOfInstance(execution.getProcessInstanceId())
                .orElseThrow(() -> new IllegalStateException("no restore request for instance "
                        + execution.getProcessInstanceId()));
        String location;
        try {
            location = locations.check(Variables.RESTORED_LOCATION.get(execution)).toString();
        } catch (RestoreLocations.RefusedLocation refused) {
            throw new FormFieldValidationException(Variables.RESTORED_LOCATION.name(), refused.getMessage());
        }
        Authentication user = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        recordings.restored(request.id(), user == null ? null : user.getUserId(), location);
    }
}
