package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.callcentre.callback.Callback;
import org.callcentre.problem.RefusedException;
import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.dialler.OutboundCallProcess.Forms;
import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Talk task's form says outcomes in words and submits what the record step reads: every call status, by its
 * enum name, labelled as agents say it, and a callback's fields with Call back; and the step's reading of the form
 * (a pledge taken makes the outcome Pledge, a callback is read only when given).
 */
class TalkToDonorFormTest {

    @Test
    void theStatusSelectOffersEveryCallStatusInWords() throws IOException {
        JsonNode select = component("callStatus");

        assertThat(select.get("type").asText()).isEqualTo("select");
        List<String> values = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        select.get("values").forEach(option -> {
            values.add(option.get("value").asText());
            labels.add(option.get("label").asText());
        });
        assertThat(values).containsExactlyElementsOf(Arrays.stream(CallStatus.values()).map(Enum::name).toList());
        assertThat(labels).containsExactlyElementsOf(Arrays.stream(CallStatus.values()).map(CallOutcomes::words)
                .toList());
        assertThat(labels).noneMatch(label -> label.contains("_"));
    }

    @Test
    void theFormsFieldsAreWhatTheRecordStepReads() throws IOException {
        List<String> keys = new ArrayList<>();
        form().get("components").forEach(component -> {
            if (component.hasNonNull("key")) {
                keys.add(component.get("key").asText());
            }
        });
        assertThat(keys).containsExactlyInAnyOrderElementsOf(Variables.TALK_FORM.stream().map(ProcessVariable::name)
                .toList());
        assertThat(form().get("id").asText()).isEqualTo(Forms.TALK_TO_DONOR);
        assertThat(component("note").get("validate").get("maxLength").asInt()).isEqualTo(CallOutcomes.MAX_NOTE);
    }

    /**
     * The callback's fields show only with Call back (and no pledge): Tasklist neither shows nor submits them
     * otherwise. The time is a local date-time, as the callbacks read it; who calls back is one of the two modes.
     */
    @Test
    void theCallbackFieldsShowOnlyWithCallBack() throws IOException {
        for (ProcessVariable<?> field : Variables.CALLBACK_FORM) {
            assertThat(component(field.name()).get("conditional").get("hide").asText()).as(field.name())
                    .isEqualTo("=pledgeTaken or callStatus != \"CALL_BACK\"");
        }
        JsonNode dueAt = component(Variables.CALLBACK_DUE_AT.name());
        assertThat(dueAt.get("type").asText()).isEqualTo("datetime");
        assertThat(dueAt.get("subtype").asText()).isEqualTo("datetime");
        assertThat(dueAt.get("timeSerializingFormat").asText()).as("no offset: the zone is the field beside it")
                .isEqualTo("no_timezone");
        List<String> modes = new ArrayList<>();
        component(Variables.CALLBACK_MODE.name()).get("values").forEach(option -> modes.add(option.get("value")
                .asText()));
        assertThat(modes).containsExactlyElementsOf(Arrays.stream(Callback.Mode.values()).map(Enum::name).toList());
        assertThat(component(Variables.CALLBACK_REASON.name()).get("validate").get("required").asBoolean()).isTrue();
        assertThat(component(Variables.CALLBACK_OVERRIDE_CALLING_HOURS.name()).get("type").asText())
                .isEqualTo("checkbox");
    }

    /** The record step reads the callback only when the form gives one, and refuses a value of the wrong kind. */
    @Test
    void theRecordStepReadsTheCallbackTheFormGives() {
        DelegateExecution none = execution(Map.of());
        assertThat(RecordTalkOutcomeDelegate.callback(none)).isEmpty();

        DelegateExecution queue = execution(Map.of(Variables.CALLBACK_DUE_AT.name(), "2027-03-28T14:30",
                Variables.CALLBACK_REASON.name(), "after work", Variables.CALLBACK_MODE.name(), "QUEUE",
                Variables.CALLBACK_OVERRIDE_CALLING_HOURS.name(), true));
        assertThat(RecordTalkOutcomeDelegate.callback(queue)).contains(new TalkFollowUp.CallbackRequest(
                "2027-03-28T14:30", null, "after work", "QUEUE", true));

        DelegateExecution wrong = execution(Map.of(Variables.CALLBACK_DUE_AT.name(), "2027-03-28T14:30",
                Variables.CALLBACK_OVERRIDE_CALLING_HOURS.name(), "yes"));
        assertThatThrownBy(() -> RecordTalkOutcomeDelegate.callback(wrong))
                .isInstanceOfSatisfying(RefusedException.class, refused -> assertThat(refused.reason())
                        .isEqualTo(RefusedException.Reason.INVALID))
                .hasMessage("callbackOverrideCallingHours must be true or false");
    }

    private static DelegateExecution execution(Map<String, Object> variables) {
        DelegateExecution execution = mock(DelegateExecution.class);
        when(execution.getVariable(anyString())).thenAnswer(call -> variables.get(call.<String>getArgument(0)));
        return execution;
    }

    @Test
    void aPledgeTakenMakesTheOutcomePledgeAndMustAgreeWithTheStatus() {
        assertThat(RecordTalkOutcomeDelegate.outcome(null, true)).isEqualTo(CallStatus.PLEDGE);
        assertThat(RecordTalkOutcomeDelegate.outcome("PLEDGE", true)).isEqualTo(CallStatus.PLEDGE);
        assertThat(RecordTalkOutcomeDelegate.outcome("NOT_INTERESTED", false)).isEqualTo(CallStatus.NOT_INTERESTED);

        assertThatThrownBy(() -> RecordTalkOutcomeDelegate.outcome("NOT_INTERESTED", true))
                .isInstanceOfSatisfying(RefusedException.class, refused -> assertThat(refused.reason())
                        .isEqualTo(RefusedException.Reason.UNPROCESSABLE))
                .hasMessage("a pledge was taken, so the call's outcome is Pledge, not Not interested: untick 'A "
                        + "pledge was taken' or choose Pledge");
        assertThatThrownBy(() -> RecordTalkOutcomeDelegate.outcome(" ", false)).isInstanceOf(RefusedException.class)
                .hasMessageStartingWith("say how the call went");
        assertThatThrownBy(() -> RecordTalkOutcomeDelegate.outcome("busy", false))
                .isInstanceOfSatisfying(RefusedException.class, refused -> assertThat(refused.reason())
                        .isEqualTo(RefusedException.Reason.INVALID))
                .hasMessageStartingWith("callStatus must be one of [NO_ANSWER, BUSY");
    }

    @Test
    void theNextNumberComesRoundAndIsNeverTheOneCalled() {
        List<String> numbers = List.of("+1", "+2", "+3");
        assertThat(CallOutcomes.nextAfter(numbers, numbers, "+1")).isEqualTo("+2");
        assertThat(CallOutcomes.nextAfter(numbers, numbers, "+3")).isEqualTo("+1");
        assertThat(CallOutcomes.nextAfter(numbers, List.of("+1", "+3"), "+1")).isEqualTo("+3");
        assertThat(CallOutcomes.nextAfter(numbers, List.of("+2"), "+2")).isNull();
        assertThat(CallOutcomes.duration(15)).isEqualTo("15 minutes");
        assertThat(CallOutcomes.duration(60)).isEqualTo("1 hour");
        assertThat(CallOutcomes.duration(120)).isEqualTo("2 hours");
        assertThat(CallOutcomes.duration(1440)).isEqualTo("1 day");
    }

    private static JsonNode component(String key) throws IOException {
        for (JsonNode component : form().get("components")) {
            if (key.equals(component.path("key").asText())) {
                return component;
            }
        }
        throw new AssertionError("no field " + key);
    }

    private static JsonNode form() throws IOException {
        try (InputStream form = TalkToDonorFormTest.class.getClassLoader()
                .getResourceAsStream(Forms.TALK_TO_DONOR_RESOURCE)) {
            return new ObjectMapper().readTree(form);
        }
    }
}
