package org.callcentre.app.config;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints the production profile's refusal as Spring Boot's "APPLICATION FAILED TO START" report, not a stack trace. */
public class UnsafeProductionSettingsFailureAnalyzer extends AbstractFailureAnalyzer<UnsafeProductionSettings> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsafeProductionSettings cause) {
        String description = "The production profile refuses to start:" + cause.problems().stream()
                .map(problem -> System.lineSeparator() + "  - " + problem)
                .collect(Collectors.joining());
        String action = "Set the missing settings (the production profile reads them from the environment; see the "
                + "README's production section), give app.public-base-url as the https URL of your TLS proxy, and run "
                + "production without the demo profile.";
        return new FailureAnalysis(description, action, cause);
    }
}
