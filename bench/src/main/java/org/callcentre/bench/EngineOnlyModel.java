package org.callcentre.bench;

import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;

/**
 * A scenario's conversation on the engine alone ({@link EngineOnly}): its model with no-op delegates, driven through
 * the Java API one transaction per step, as the app's webhooks and jobs take them. No HTTP, no emulators.
 */
public interface EngineOnlyModel {

    /** The model's BPMN on the class path, for example {@code bpmn/card-capture.bpmn}. */
    String bpmnResource();

    /** The beans the model's expressions name: no-op delegates and fixed answers. */
    Map<Object, Object> beans();

    /** One conversation, start to end. */
    void converse(ProcessEngine engine);
}
