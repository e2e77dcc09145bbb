package org.callcentre.app;

import java.util.TimeZone;

import org.callcentre.app.config.ScheduledWorkLocks;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;

import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;

/** The call-centre orchestrator: an embedded Camunda 7 engine, its webapps, and the HTTP edges. */
@SpringBootApplication(scanBasePackages = "org.callcentre")
@ConfigurationPropertiesScan("org.callcentre.app")
@EnableScheduling
// A @Scheduled method with a @SchedulerLock runs on one node of the cluster at a time. The lock is taken around the
// method itself (PROXY_METHOD, the default): only the scheduled entry points carry it, and the methods they call
// (sweep(), MailIntake.poll()) stay free to be called directly, as the tests do.
@EnableSchedulerLock(defaultLockAtMostFor = "PT10M")
public class CallCentreApplication {

    public static void main(String[] args) {
        // The engine stores timestamps without a zone and reads them in the JVM's default zone.
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        SpringApplication.run(CallCentreApplication.class, args);
    }

    /** The locks of @SchedulerLock, in the {@code shedlock} table of the app's database. */
    @Bean
    public ScheduledWorkLocks scheduledWorkLocks(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        return new ScheduledWorkLocks(jdbc, transactions);
    }
}
