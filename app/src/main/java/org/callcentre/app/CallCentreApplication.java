package org.callcentre.app;

import java.util.TimeZone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The call-centre orchestrator: an embedded Camunda 7 engine, its webapps, and the HTTP edges. */
@SpringBootApplication(scanBasePackages = "org.callcentre")
@ConfigurationPropertiesScan("org.callcentre.app")
@EnableScheduling
public class CallCentreApplication {

    public static void main(String[] args) {
        // The engine stores timestamps without a zone and reads them in the JVM's default zone.
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        SpringApplication.run(CallCentreApplication.class, args);
    }
}
