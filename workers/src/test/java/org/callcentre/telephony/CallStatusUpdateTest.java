package org.callcentre.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallStatusUpdateTest {

    @Test
    void aCallIsOverOnlyWithAFinalStatus() {
        assertThat(CallStatusUpdate.ENDED).allMatch(CallStatusUpdate::isEnded);
        assertThat(CallStatusUpdate.isEnded("in-progress")).isFalse();
        assertThat(CallStatusUpdate.isEnded("ringing")).isFalse();
    }

    /**
     * A call whose first status callback has not been recorded yet (a capture started that early reads the call's
     * status as null) is not over.
     */
    @Test
    void aCallWithoutAStatusYetIsNotOver() {
        assertThat(CallStatusUpdate.isEnded(null)).isFalse();
    }
}
