package org.callcentre.processes.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;

import org.callcentre.processes.recording.RecordingArchiveProcess.Beans;
import org.callcentre.processes.recording.RecordingArchiveProcess.Elements;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs {@code recording-archive.bpmn} with its delegate mocked: the daily timer fires when the clock is moved past it,
 * the run archives in a job of its own, the next day's timer is set whatever the run does, and a run that keeps
 * failing ends in an incident.
 */
@Deployment(resources = "bpmn/recording-archive.bpmn")
class RecordingArchiveProcessTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessEngineCoverageExtension.builder()
            .assertClassCoverageAtLeast(1.0)
            .build();

    private final JavaDelegate archive = mock(JavaDelegate.class);

    @BeforeEach
    void registerDelegate() {
        init(ENGINE.getProcessEngine());
        Mocks.register(Beans.ARCHIVE, archive);
    }

    @AfterEach
    void reset() {
        Mocks.reset();
        ClockUtil.reset();
    }

    @Test
    void theDailyTimerStartsARunThatArchivesTheOldRecordings() throws Exception {
        Job timer = dailyTimer();
        Instant due = timer.getDuedate().toInstant();
        assertThat(due.atOffset(ZoneOffset.UTC).getHour()).as("03:00 UTC").isEqualTo(3);
        assertThat(due).isAfter(Instant.now().minusSeconds(1)).isBefore(Instant.now().plus(Duration.ofDays(1)));
        assertThat(runtimeService().createProcessInstanceQuery().count()).isZero();

        ClockUtil.setCurrentTime(Date.from(due.plusSeconds(1)));
        execute(timer);

        ProcessInstance run = runtimeService().createProcessInstanceQuery()
                .processDefinitionKey(RecordingArchiveProcess.PROCESS_KEY).singleResult();
        assertThat(run).isWaitingAt(Elements.ARCHIVE);
        verifyNoInteractions(archive);
        Job next = dailyTimer();
        assertThat(next.getDuedate().toInstant()).as("tomorrow's run").isEqualTo(due.plus(Duration.ofDays(1)));

        execute(job(Elements.ARCHIVE, run));

        verify(archive).execute(any());
        assertThat(run).hasPassed(Elements.START, Elements.ARCHIVE).isEnded().hasPassed(Elements.END);
    }

    @Test
    void aRunThatKeepsFailingIsAnIncidentAndTheNextDayRunsAgain() throws Exception {
        doThrow(new IllegalStateException("database away")).when(archive).execute(any());
        Job timer = dailyTimer();
        ClockUtil.setCurrentTime(Date.from(timer.getDuedate().toInstant().plusSeconds(1)));
        execute(timer);
        ProcessInstance run = runtimeService().createProcessInstanceQuery().singleResult();

        for (int attempt = 0; attempt < 3; attempt++) {
            Job archiving = managementService().createJobQuery().processInstanceId(run.getId()).singleResult();
            assertThatThrownBy(() -> managementService().executeJob(archiving.getId()))
                    .hasMessageContaining("database away");
        }

        verify(archive, times(3)).execute(any());
        assertThat(runtimeService().createIncidentQuery().processInstanceId(run.getId()).count()).isEqualTo(1);
        assertThat(run).isWaitingAt(Elements.ARCHIVE);
        assertThat(dailyTimer()).as("the next day's timer").isNotNull();
    }

    private static Job dailyTimer() {
        return managementService().createJobQuery().timers().processDefinitionKey(RecordingArchiveProcess.PROCESS_KEY)
                .activityId(Elements.START).singleResult();
    }
}
