package org.callcentre.app.security;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * Switches off the engine's own failed-login lock. The engine locks a user for everyone after each wrong
 * password (3 s, doubling) and for good after ten, until an administrator unlocks it, so anyone who knows a
 * user name could lock that user out. {@link LoginThrottle} throttles the guessing address instead, with a
 * refusal that always expires; the engine still counts failures, but never locks.
 */
public class NoEngineLoginLock extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setLoginMaxAttempts(Integer.MAX_VALUE);
        configuration.setLoginDelayBase(0);
        configuration.setLoginDelayMaxTime(0);
    }
}
