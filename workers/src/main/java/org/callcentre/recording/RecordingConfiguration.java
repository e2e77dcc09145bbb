package org.callcentre.recording;

import java.time.Clock;

import org.callcentre.telephony.TwilioCalls;
import org.callcentre.telephony.TwilioProperties;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Call recordings: the store, the pauses around card capture, the audio, the archive and restores, and the delegates
 * of {@code recording-archive.bpmn} and {@code recording-restore.bpmn} (bean names as in their constants classes).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RecordingProperties.class)
public class RecordingConfiguration {

    @Bean
    public CallRecordings callRecordings(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        return new CallRecordings(jdbc, transactions, clock);
    }

    @Bean
    public RecordingPauses recordingPauses(CallRecordings recordings, TwilioCalls twilio,
            PlatformTransactionManager transactions) {
        return new RecordingPauses(recordings, twilio, transactions);
    }

    @Bean
    public RecordingResumeSweeper recordingResumeSweeper(RecordingPauses pauses) {
        return new RecordingResumeSweeper(pauses);
    }

    @Bean
    public RestoreLocations restoreLocations(RecordingProperties properties) {
        return new RestoreLocations(properties.restoreBaseUrl());
    }

    @Bean
    public RecordingAudio recordingAudio(TwilioProperties twilio, RestoreLocations locations,
            RecordingProperties properties) {
        return new RecordingAudio(twilio, locations, properties.mediaTimeout());
    }

    @Bean
    public RecordingMedia recordingMedia(RecordingAudio audio, RecordingProperties properties) {
        return new RecordingMedia(audio, properties);
    }

    @Bean
    public RecordingExport recordingExport(CallRecordings recordings) {
        return new RecordingExport(recordings);
    }

    @Bean
    public RecordingRestores recordingRestores(CallRecordings recordings, RuntimeService runtime, JdbcTemplate jdbc,
            PlatformTransactionManager transactions) {
        return new RecordingRestores(recordings, runtime, jdbc, transactions);
    }

    @Bean
    public ArchiveRecordingsDelegate archiveRecordingsDelegate(CallRecordings recordings,
            RecordingProperties properties, Clock clock) {
        return new ArchiveRecordingsDelegate(recordings, properties, clock);
    }

    @Bean
    public RecordRestoredLocationDelegate recordRestoredLocationDelegate(CallRecordings recordings,
            RestoreLocations locations) {
        return new RecordRestoredLocationDelegate(recordings, locations);
    }
}
