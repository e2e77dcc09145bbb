package org.callcentre.app.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.callcentre.telephony.CallStatusListener;
import org.callcentre.telephony.CallStatusLog;
import org.callcentre.telephony.CallStatusUpdate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;

/** A listener that fails neither undoes the record nor keeps the others from hearing the status. */
class CallStatusControllerTest {

    private static final String SID = "CA" + "1".repeat(32);

    @Test
    @SuppressWarnings("unchecked")
    void aFailingListenerDoesNotStopTheOthersAndTheAnswerIsNoContent() {
        CallStatusLog log = mock(CallStatusLog.class);
        CallStatusUpdate recorded = new CallStatusUpdate(SID, "completed", 4, false, true);
        when(log.record(SID, "completed", 4)).thenReturn(recorded);
        List<CallStatusUpdate> heard = new ArrayList<>();
        CallStatusListener failing = update -> {
            throw new IllegalStateException("no such capture");
        };
        CallStatusListener next = heard::add;
        ObjectProvider<CallStatusListener> listeners = mock(ObjectProvider.class);
        when(listeners.orderedStream()).thenAnswer(call -> Stream.of(failing, next));

        var answer = new CallStatusController(log, listeners).status(SID, "completed", "4", null);

        assertThat(answer.getStatusCode().value()).isEqualTo(204);
        assertThat(heard).containsExactly(recorded);
    }

    @Test
    void aMissingOrGarbledSequenceNumberIsNone() {
        assertThat(CallStatusUpdate.sequenceOf(null)).isNull();
        assertThat(CallStatusUpdate.sequenceOf("")).isNull();
        assertThat(CallStatusUpdate.sequenceOf("-1")).isNull();
        assertThat(CallStatusUpdate.sequenceOf("2x")).isNull();
        assertThat(CallStatusUpdate.sequenceOf("12345678901")).isNull();
        assertThat(CallStatusUpdate.sequenceOf("0")).isZero();
        assertThat(CallStatusUpdate.sequenceOf("17")).isEqualTo(17);
    }
}
