package org.callcentre;

import java.time.Clock;

import org.callcentre.cardcapture.CardCapturePromptProperties;
import org.callcentre.cardvault.CardVault;
import org.callcentre.cardvault.CardVaultProperties;
import org.callcentre.payment.PaymentGateway;
import org.callcentre.payment.PaymentGatewayProperties;
import org.callcentre.payment.StripeStyleGateway;
import org.callcentre.campaign.CampaignBook;
import org.callcentre.dialler.DiallerProperties;
import org.callcentre.dialler.DonorCalls;
import org.callcentre.dialler.LeadHistory;
import org.callcentre.pledge.PledgeBook;
import org.callcentre.telephony.CallStatusLog;
import org.callcentre.telephony.PublicUrls;
import org.callcentre.telephony.TelephonyUrls;
import org.callcentre.telephony.TwilioCalls;
import org.callcentre.telephony.TwilioProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The adapters the delegates use, built from configuration. */
@Configuration
@EnableConfigurationProperties({TwilioProperties.class, PaymentGatewayProperties.class, CardVaultProperties.class,
        CardCapturePromptProperties.class, DiallerProperties.class})
public class WorkersConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    public PublicUrls publicUrls(@Value("${app.public-base-url}") String publicBaseUrl) {
        return new PublicUrls(publicBaseUrl);
    }

    @Bean
    public TwilioCalls twilioCalls(TwilioProperties properties, TelephonyUrls telephonyUrls) {
        return new TwilioCalls(properties, telephonyUrls.callStatus(), telephonyUrls.recordingStatus());
    }

    @Bean
    public CallStatusLog callStatusLog(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        return new CallStatusLog(jdbc, transactions, clock);
    }

    /**
     * The gateway adapter. Its request timeout must stay well below the job executor's lock time: a job still waiting
     * for the gateway when its lock expires is run a second time by another thread (the idempotency key keeps that
     * from charging twice, but the donor would wait for both).
     */
    @Bean
    public PaymentGateway paymentGateway(PaymentGatewayProperties properties,
            @Value("${camunda.bpm.job-execution.lock-time-in-millis:300000}") long jobLockMillis) {
        if (properties.timeout().toMillis() * 4 > jobLockMillis) {
            throw new IllegalStateException("payment.gateway.timeout (" + properties.timeout() + ") must be at most a "
                    + "quarter of the job executor's lock time (" + jobLockMillis + " ms)");
        }
        return new StripeStyleGateway(properties);
    }

    @Bean
    public CardVault cardVault(JdbcTemplate jdbc, CardVaultProperties properties, Clock clock) {
        return new CardVault(jdbc, properties, clock);
    }

    @Bean
    public CampaignBook campaignBook(JdbcTemplate jdbc, Clock clock) {
        return new CampaignBook(jdbc, clock);
    }

    @Bean
    public PledgeBook pledgeBook(JdbcTemplate jdbc, Clock clock) {
        return new PledgeBook(jdbc, clock);
    }

    @Bean
    public LeadHistory leadHistory(JdbcTemplate jdbc, Clock clock) {
        return new LeadHistory(jdbc, clock);
    }

    @Bean
    public DonorCalls donorCalls(JdbcTemplate jdbc) {
        return new DonorCalls(jdbc);
    }
}
