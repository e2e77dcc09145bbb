package org.callcentre.app.config;

import java.util.List;

/** The production profile's refusal to start, with every setting that is missing or wrong. */
public class UnsafeProductionSettings extends RuntimeException {

    private final List<String> problems;

    public UnsafeProductionSettings(List<String> problems) {
        super("The production profile refuses to start: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
